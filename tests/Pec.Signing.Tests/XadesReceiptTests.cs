using System.Security.Cryptography;
using System.Xml;
using Pec.Signing.Receipts;
using Pec.Signing.Seal;
using Pec.Signing.Sealing;
using Pec.Signing.Tests.Support;

namespace Pec.Signing.Tests;

public sealed class XadesReceiptTests
{
    private const string Xades = "http://uri.etsi.org/01903/v1.3.2#";

    [Fact]
    public void Sign_WritesXadesBaselineB()
    {
        var (_, sealCertificate) = SharedPki.Get(SealKeyKind.EcdsaP256);
        using var seal = new PlatformSeal(sealCertificate);

        var document = ReceiptForgery.Load(new ReceiptSigner(seal).Sign(SampleReceipts.Create()));

        var namespaces = Namespaces(document);
        var signature = ReceiptForgery.SignatureElement(document);
        var signatureId = signature.GetAttribute("Id");
        Assert.NotEmpty(signatureId);
        var qualifyingProperties = (XmlElement)signature.SelectSingleNode("ds:Object/xades:QualifyingProperties", namespaces)!;
        Assert.Equal("#" + signatureId, qualifyingProperties.GetAttribute("Target"));
        var signedProperties = (XmlElement)qualifyingProperties.SelectSingleNode("xades:SignedProperties", namespaces)!;
        var references = signature.SelectNodes("ds:SignedInfo/ds:Reference", namespaces)!.Cast<XmlElement>().ToList();
        Assert.Equal(string.Empty, references[0].GetAttribute("URI"));
        Assert.Equal("#" + signedProperties.GetAttribute("Id"), references[1].GetAttribute("URI"));
        Assert.Equal(
            "2025-03-14T09:15:31.007Z",
            signedProperties.SelectSingleNode("xades:SignedSignatureProperties/xades:SigningTime", namespaces)!.InnerText);
        var certDigest = signedProperties.SelectSingleNode(
            "xades:SignedSignatureProperties/xades:SigningCertificateV2/xades:Cert/xades:CertDigest", namespaces)!;
        Assert.Equal(
            "http://www.w3.org/2001/04/xmlenc#sha256",
            ((XmlElement)certDigest.SelectSingleNode("ds:DigestMethod", namespaces)!).GetAttribute("Algorithm"));
        Assert.Equal(
            sealCertificate.GetCertHash(HashAlgorithmName.SHA256),
            Convert.FromBase64String(certDigest.SelectSingleNode("ds:DigestValue", namespaces)!.InnerText));
    }

    [Fact]
    public void Verify_BaselineB_ReportsLevelAndSigningTime()
    {
        var (ca, sealCertificate) = SharedPki.Get(SealKeyKind.Rsa3072);
        using var seal = new PlatformSeal(sealCertificate);

        var result = new ReceiptVerifier().Verify(new ReceiptSigner(seal).Sign(SampleReceipts.Create()), [ca]);

        Assert.True(result.IsValid, result.FailureReason);
        Assert.Equal(ReceiptSignatureLevel.XadesBaselineB, result.Level);
        Assert.Equal(SampleReceipts.Create().IssuedAt, result.SigningTime);
        Assert.Null(result.TimestampTime);
    }

    [Fact]
    public void Verify_PlainXmlDsigReceipt_StillVerifies()
    {
        var (ca, sealCertificate) = SharedPki.Get(SealKeyKind.EcdsaP256);
        using var seal = new PlatformSeal(sealCertificate);
        var plain = ReceiptForgery.Resign(new ReceiptSigner(seal).Sign(SampleReceipts.Create()), sealCertificate);

        var result = new ReceiptVerifier().Verify(plain, [ca]);

        Assert.True(result.IsValid, result.FailureReason);
        Assert.Equal(ReceiptSignatureLevel.XmlDsig, result.Level);
        Assert.Null(result.SigningTime);
    }

    [Fact]
    public void Verify_SigningTimeFarFromIssuedAt_IsRefused()
    {
        var (ca, sealCertificate) = SharedPki.Get(SealKeyKind.EcdsaP256);
        using var seal = new PlatformSeal(sealCertificate);
        var receipt = new ReceiptSigner(seal).Sign(SampleReceipts.Create());

        var resigned = ResignWithXades(receipt, seal, SampleReceipts.Create().IssuedAt.AddHours(1));
        var result = new ReceiptVerifier().Verify(resigned, [ca]);

        Assert.False(result.IsValid);
        Assert.Contains("differs from IssuedAt", result.FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_SigningTimeWithinTolerance_IsAccepted()
    {
        var (ca, sealCertificate) = SharedPki.Get(SealKeyKind.EcdsaP256);
        using var seal = new PlatformSeal(sealCertificate);
        var receipt = new ReceiptSigner(seal).Sign(SampleReceipts.Create());

        var resigned = ResignWithXades(receipt, seal, SampleReceipts.Create().IssuedAt.AddSeconds(30));
        var result = new ReceiptVerifier().Verify(resigned, [ca]);

        Assert.True(result.IsValid, result.FailureReason);
    }

    public static TheoryData<string, string> Tamperings => new()
    {
        { "wrong-target", "Target" },
        { "duplicate-id", "must name exactly one element" },
        { "comment-in-signed-properties", "elements only" },
        { "extra-signed-property", "exactly SigningTime then SigningCertificateV2" },
        { "cert-digest-changed", "does not verify" },
        { "signing-time-changed", "does not verify" },
        { "unknown-unsigned-property", "exactly one SignatureTimeStamp" },
        { "second-object", "exactly one ds:Object" },
        { "reference-type-removed", "Type=" },
    };

    [Theory]
    [MemberData(nameof(Tamperings))]
    public async Task Verify_TamperedXadesProperties_AreRefused(string tampering, string expectedReason)
    {
        var (ca, sealCertificate) = SharedPki.Get(SealKeyKind.EcdsaP256);
        using var seal = new PlatformSeal(sealCertificate);
        var document = ReceiptForgery.Load(new ReceiptSigner(seal).Sign(SampleReceipts.Create()));
        var namespaces = Namespaces(document);
        var signature = ReceiptForgery.SignatureElement(document);
        var qualifyingProperties = (XmlElement)signature.SelectSingleNode("ds:Object/xades:QualifyingProperties", namespaces)!;
        var signedProperties = (XmlElement)qualifyingProperties.SelectSingleNode("xades:SignedProperties", namespaces)!;
        var signatureProperties = (XmlElement)signedProperties.FirstChild!;

        switch (tampering)
        {
            case "wrong-target":
                qualifyingProperties.SetAttribute("Target", "#elsewhere");
                break;
            case "duplicate-id":
                // A second element with the SignedProperties Id, in the receipt content (signature wrapping).
                ReceiptForgery.Element(document, "Sender").SetAttribute("Id", signedProperties.GetAttribute("Id"));
                break;
            case "comment-in-signed-properties":
                signatureProperties.AppendChild(document.CreateComment("unsigned note"));
                break;
            case "extra-signed-property":
                signatureProperties.AppendChild(document.CreateElement("xades", "SignaturePolicyIdentifier", Xades));
                break;
            case "cert-digest-changed":
                var digestValue = signatureProperties.SelectSingleNode(".//ds:DigestValue", namespaces)!;
                digestValue.InnerText = Convert.ToBase64String(new byte[32]);
                break;
            case "signing-time-changed":
                signatureProperties.SelectSingleNode("xades:SigningTime", namespaces)!.InnerText = "2025-03-14T09:15:31.008Z";
                break;
            case "unknown-unsigned-property":
                var unsigned = document.CreateElement("xades", "UnsignedProperties", Xades);
                unsigned.AppendChild(document.CreateElement("xades", "UnsignedSignatureProperties", Xades))!
                    .AppendChild(document.CreateElement("xades", "CounterSignature", Xades));
                qualifyingProperties.AppendChild(unsigned);
                break;
            case "second-object":
                signature.AppendChild(document.CreateElement("Object", ReceiptForgery.Ds));
                break;
            case "reference-type-removed":
                ((XmlElement)signature.SelectNodes("ds:SignedInfo/ds:Reference", namespaces)![1]!).RemoveAttribute("Type");
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(tampering));
        }

        var tampered = ReceiptForgery.Save(document);
        var result = new ReceiptVerifier().Verify(tampered, [ca]);

        Assert.False(result.IsValid);
        Assert.Contains(expectedReason, result.FailureReason, StringComparison.Ordinal);
        if (tampering is "cert-digest-changed" or "signing-time-changed")
        {
            using var temp = new TempDirectory();
            Assert.NotEqual(0, (await XmlSec1.VerifyAsync(temp, ca, tampered)).ExitCode);
        }
    }

    /// <summary>Replaces the receipt's signature by a XAdES one with another SigningTime, in the same place.</summary>
    internal static byte[] ResignWithXades(byte[] receipt, PlatformSeal seal, DateTimeOffset signingTime)
    {
        var document = ReceiptForgery.Load(receipt);
        var signature = ReceiptForgery.SignatureElement(document);
        var before = signature.PreviousSibling!;
        document.DocumentElement!.RemoveChild(signature);
        var replacement = XadesEnvelopedSigner.ComputeSignature(document, seal, signingTime);
        document.DocumentElement.InsertAfter(document.ImportNode(replacement, deep: true), before);
        return ReceiptForgery.Save(document);
    }

    private static XmlNamespaceManager Namespaces(XmlDocument document)
    {
        var namespaces = new XmlNamespaceManager(document.NameTable);
        namespaces.AddNamespace("ds", ReceiptForgery.Ds);
        namespaces.AddNamespace("xades", Xades);
        return namespaces;
    }
}
