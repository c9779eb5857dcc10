using System.Text;
using System.Xml;
using Pec.Signing.Receipts;
using Pec.Signing.Seal;
using Pec.Signing.Tests.Support;

namespace Pec.Signing.Tests;

public sealed class ReceiptSignerTests
{
    private const string Ds = "http://www.w3.org/2000/09/xmldsig#";

    public static TheoryData<SealKeyKind, ReceiptKind> KeysAndKinds => new()
    {
        { SealKeyKind.Rsa3072, ReceiptKind.Deposit },
        { SealKeyKind.Rsa3072, ReceiptKind.Delivery },
        { SealKeyKind.Rsa3072, ReceiptKind.Acknowledgement },
        { SealKeyKind.Rsa3072, ReceiptKind.NonDelivery },
        { SealKeyKind.EcdsaP256, ReceiptKind.Deposit },
        { SealKeyKind.EcdsaP256, ReceiptKind.Acknowledgement },
        { SealKeyKind.EcdsaP256, ReceiptKind.NonDelivery },
        { SealKeyKind.EcdsaP384, ReceiptKind.Delivery },
        { SealKeyKind.EcdsaP521, ReceiptKind.Delivery },
    };

    [Theory]
    [MemberData(nameof(KeysAndKinds))]
    public async Task Sign_ReceiptVerifiesWithXmlsec1(SealKeyKind keyKind, ReceiptKind receiptKind)
    {
        var (ca, sealCertificate) = SharedPki.Get(keyKind);
        using var seal = new PlatformSeal(sealCertificate);
        using var temp = new TempDirectory();

        var signed = new ReceiptSigner(seal).Sign(SampleReceipts.Create(receiptKind));

        var result = await XmlSec1.VerifyAsync(temp, ca, signed);
        Assert.True(result.ExitCode == 0, $"xmlsec1 refused the receipt: {result}");
    }

    [Theory]
    [InlineData(SealKeyKind.Rsa3072, "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256")]
    [InlineData(SealKeyKind.EcdsaP256, "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256")]
    [InlineData(SealKeyKind.EcdsaP384, "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256")]
    public void Sign_UsesTheProfileAlgorithms(SealKeyKind keyKind, string signatureMethod)
    {
        var (_, sealCertificate) = SharedPki.Get(keyKind);
        using var seal = new PlatformSeal(sealCertificate);

        var document = Load(new ReceiptSigner(seal).Sign(SampleReceipts.Create()));

        var signature = Assert.Single(document.GetElementsByTagName("Signature", Ds).Cast<XmlElement>());
        Assert.Same(document.DocumentElement, signature.ParentNode);
        Assert.Equal("http://www.w3.org/2001/10/xml-exc-c14n#", Algorithm(signature, "SignedInfo/CanonicalizationMethod"));
        Assert.Equal(signatureMethod, Algorithm(signature, "SignedInfo/SignatureMethod"));
        var references = signature.SelectNodes("ds:SignedInfo/ds:Reference", Namespaces(document))!.Cast<XmlElement>().ToList();
        Assert.Equal(2, references.Count);
        var reference = references[0];
        var signedPropertiesReference = references[1];
        Assert.Equal("http://uri.etsi.org/01903#SignedProperties", signedPropertiesReference.GetAttribute("Type"));
        Assert.Equal(
            ["http://www.w3.org/2001/10/xml-exc-c14n#"],
            signedPropertiesReference.SelectNodes("ds:Transforms/ds:Transform", Namespaces(document))!.Cast<XmlElement>().Select(t => t.GetAttribute("Algorithm")));
        Assert.Equal(string.Empty, reference.GetAttribute("URI"));
        Assert.True(reference.HasAttribute("URI"));
        Assert.Equal(
            ["http://www.w3.org/2000/09/xmldsig#enveloped-signature", "http://www.w3.org/2001/10/xml-exc-c14n#"],
            reference.SelectNodes("ds:Transforms/ds:Transform", Namespaces(document))!.Cast<XmlElement>().Select(t => t.GetAttribute("Algorithm")));
        Assert.Equal("http://www.w3.org/2001/04/xmlenc#sha256", Algorithm(signature, "SignedInfo/Reference/DigestMethod"));
        var keyInfoCertificate = signature.SelectSingleNode("ds:KeyInfo/ds:X509Data/ds:X509Certificate", Namespaces(document))!.InnerText;
        Assert.Equal(sealCertificate.RawData, Convert.FromBase64String(keyInfoCertificate));

        if (signatureMethod.EndsWith("ecdsa-sha256", StringComparison.Ordinal))
        {
            // r‖s, each the size of the curve order: 2 × 32 bytes on P-256, 2 × 48 on P-384 (DER would be longer and variable).
            var signatureValue = Convert.FromBase64String(signature.SelectSingleNode("ds:SignatureValue", Namespaces(document))!.InnerText);
            Assert.Equal(keyKind == SealKeyKind.EcdsaP256 ? 64 : 96, signatureValue.Length);
        }
    }

    [Fact]
    public void Sign_WritesTheContractLayout()
    {
        var (_, sealCertificate) = SharedPki.Get(SealKeyKind.Rsa3072);
        using var seal = new PlatformSeal(sealCertificate);
        var receipt = SampleReceipts.Create(ReceiptKind.Acknowledgement) with { Reason = "Accepted" };

        var bytes = new ReceiptSigner(seal).Sign(receipt);

        Assert.StartsWith("<?xml version=\"1.0\" encoding=\"utf-8\"?>", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
        Assert.NotEqual(0xEF, bytes[0]); // no BOM
        var root = Load(bytes).DocumentElement!;
        Assert.Equal("Receipt", root.LocalName);
        Assert.Equal("urn:pec:receipt:v1", root.NamespaceURI);
        Assert.Equal("1", root.GetAttribute("version"));
        Assert.Equal(
            ["ReceiptId", "Kind", "FlowId", "FlowType", "Sender", "Recipients", "Payload", "EventTime", "IssuedAt", "Reason", "Reply", "SealCertificate", "Signature"],
            root.ChildNodes.OfType<XmlElement>().Select(e => e.LocalName));

        Assert.Equal("0b6f3c8e-4d1a-4c5e-9a7b-2f1e8d3c6a50", Text(root, "ReceiptId"));
        Assert.Equal("acknowledgement", Text(root, "Kind"));
        Assert.Equal("5a2d7e91-8c34-4f0b-b6d2-93e1a7c4f815", Text(root, "FlowId"));
        Assert.Equal(
            ["prefecture-69.interieur.gouv.fr", "drfip-69.dgfip.finances.gouv.fr"],
            Child(root, "Recipients").ChildNodes.OfType<XmlElement>().Select(e => e.InnerText));
        Assert.All(Child(root, "Recipients").ChildNodes.OfType<XmlElement>(), e => Assert.Equal("Recipient", e.LocalName));
        Assert.Equal(["Sha256", "Size", "MediaType"], Child(root, "Payload").ChildNodes.OfType<XmlElement>().Select(e => e.LocalName));
        Assert.Equal("1048576", Text(Child(root, "Payload"), "Size"));
        Assert.Equal("2025-03-14T09:15:30.123Z", Text(root, "EventTime"));
        Assert.Equal("2025-03-14T09:15:31.007Z", Text(root, "IssuedAt"));
        Assert.Equal(["Sha256", "Size", "MediaType"], Child(root, "Reply").ChildNodes.OfType<XmlElement>().Select(e => e.LocalName));

        var sealElement = Child(root, "SealCertificate");
        Assert.Equal(["Subject", "Issuer", "SerialNumber", "Sha256"], sealElement.ChildNodes.OfType<XmlElement>().Select(e => e.LocalName));
        Assert.Equal(sealCertificate.Subject, Text(sealElement, "Subject"));
        Assert.Equal(sealCertificate.Issuer, Text(sealElement, "Issuer"));
        Assert.Equal(sealCertificate.SerialNumber.ToLowerInvariant(), Text(sealElement, "SerialNumber"));
        Assert.Equal(
            sealCertificate.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256).ToLowerInvariant(),
            Text(sealElement, "Sha256"));
    }

    [Fact]
    public void Sign_OmitsOptionalElementsWhenNull()
    {
        var (_, sealCertificate) = SharedPki.Get(SealKeyKind.EcdsaP256);
        using var seal = new PlatformSeal(sealCertificate);

        var root = Load(new ReceiptSigner(seal).Sign(SampleReceipts.Create(ReceiptKind.Deposit))).DocumentElement!;

        Assert.DoesNotContain(root.ChildNodes.OfType<XmlElement>(), e => e.LocalName is "Reason" or "Reply");
    }

    [Fact]
    public void Sign_WritesPayloadDigestInLowercase()
    {
        var (_, sealCertificate) = SharedPki.Get(SealKeyKind.EcdsaP256);
        using var seal = new PlatformSeal(sealCertificate);
        var receipt = SampleReceipts.Create() with
        {
            Payload = new PayloadDescription(SampleReceipts.PayloadSha256.ToUpperInvariant(), 1, "text/plain"),
        };

        var root = Load(new ReceiptSigner(seal).Sign(receipt)).DocumentElement!;

        Assert.Equal(SampleReceipts.PayloadSha256, Text(Child(root, "Payload"), "Sha256"));
    }

    [Theory]
    [InlineData("Sender")]
    [InlineData("Reason")]
    [InlineData("Recipient")]
    public async Task Sign_EscapesMarkupInValues(string field)
    {
        const string Tricky = "Ministère <A> & \"B\" 'C' ]]> </Sender><Sender>&amp; x\r\n\ttab \U0001F600 ";
        var (ca, sealCertificate) = SharedPki.Get(SealKeyKind.Rsa3072);
        using var seal = new PlatformSeal(sealCertificate);
        using var temp = new TempDirectory();
        var receipt = field switch
        {
            "Sender" => SampleReceipts.Create() with { Sender = Tricky },
            "Reason" => SampleReceipts.Create(ReceiptKind.NonDelivery) with { Reason = Tricky },
            _ => SampleReceipts.Create() with { Recipients = [Tricky, "other"] },
        };

        var signed = new ReceiptSigner(seal).Sign(receipt);

        var xmlsec = await XmlSec1.VerifyAsync(temp, ca, signed);
        Assert.True(xmlsec.ExitCode == 0, $"xmlsec1 refused the receipt: {xmlsec}");
        var result = new ReceiptVerifier().Verify(signed, [ca]);
        Assert.True(result.IsValid, result.FailureReason);
        var actual = field switch
        {
            "Sender" => result.Receipt.Sender,
            "Reason" => result.Receipt.Reason,
            _ => result.Receipt.Recipients[0],
        };
        // Line breaks come back as LF, as for any XML text; everything else exactly.
        Assert.Equal(Tricky.Replace("\r\n", "\n", StringComparison.Ordinal), actual);
    }

    public static TheoryData<string, ReceiptDocument> InvalidReceipts => new()
    {
        { "Sha256Hex", SampleReceipts.Create() with { Payload = new PayloadDescription("abc", 1, "text/plain") } },
        { "Sha256Hex", SampleReceipts.Create() with { Reply = new PayloadDescription(new string('g', 64), 1, "text/plain") } },
        { "Size", SampleReceipts.Create() with { Payload = new PayloadDescription(SampleReceipts.PayloadSha256, -1, "text/plain") } },
        { "MediaType", SampleReceipts.Create() with { Payload = new PayloadDescription(SampleReceipts.PayloadSha256, 1, "") } },
        { "Sender", SampleReceipts.Create() with { Sender = "" } },
        { "FlowType", SampleReceipts.Create() with { FlowType = null! } },
        { "recipient", SampleReceipts.Create() with { Recipients = ["a", ""] } },
        { "kind", SampleReceipts.Create() with { Kind = (ReceiptKind)42 } },
    };

    [Theory]
    [MemberData(nameof(InvalidReceipts))]
    public void Sign_RefusesIncompleteReceipts(string expectedInMessage, ReceiptDocument receipt)
    {
        var (_, sealCertificate) = SharedPki.Get(SealKeyKind.EcdsaP256);
        using var seal = new PlatformSeal(sealCertificate);

        var exception = Assert.Throws<ArgumentException>(() => new ReceiptSigner(seal).Sign(receipt));

        Assert.Contains(expectedInMessage, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sign_RefusesCharactersXmlCannotCarry()
    {
        var (_, sealCertificate) = SharedPki.Get(SealKeyKind.EcdsaP256);
        using var seal = new PlatformSeal(sealCertificate);

        Assert.ThrowsAny<ArgumentException>(() => new ReceiptSigner(seal).Sign(SampleReceipts.Create() with { Sender = "a\u0001b" }));
    }

    private static XmlDocument Load(byte[] bytes)
    {
        var document = new XmlDocument { PreserveWhitespace = true };
        using var stream = new MemoryStream(bytes);
        document.Load(stream);
        return document;
    }

    private static XmlNamespaceManager Namespaces(XmlDocument document)
    {
        var namespaces = new XmlNamespaceManager(document.NameTable);
        namespaces.AddNamespace("ds", Ds);
        namespaces.AddNamespace("r", "urn:pec:receipt:v1");
        return namespaces;
    }

    private static string Algorithm(XmlElement signature, string path)
    {
        var xpath = string.Join('/', path.Split('/').Select(step => "ds:" + step));
        return ((XmlElement)signature.SelectSingleNode(xpath, Namespaces(signature.OwnerDocument))!).GetAttribute("Algorithm");
    }

    private static XmlElement Child(XmlElement parent, string localName) =>
        Assert.Single(parent.ChildNodes.OfType<XmlElement>(), e => e.LocalName == localName);

    private static string Text(XmlElement parent, string localName) => Child(parent, localName).InnerText;
}
