using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography.Xml;
using System.Text;
using System.Xml;
using Pec.Signing.Receipts;
using Pec.Signing.Seal;
using Pec.Signing.Tests.Support;

namespace Pec.Signing.Tests;

public sealed class ReceiptVerifierTests
{
    public static TheoryData<SealKeyKind, ReceiptKind> KeysAndKinds => new()
    {
        { SealKeyKind.Rsa3072, ReceiptKind.Deposit },
        { SealKeyKind.Rsa3072, ReceiptKind.Acknowledgement },
        { SealKeyKind.Rsa3072, ReceiptKind.NonDelivery },
        { SealKeyKind.EcdsaP256, ReceiptKind.Delivery },
        { SealKeyKind.EcdsaP256, ReceiptKind.Acknowledgement },
        { SealKeyKind.EcdsaP384, ReceiptKind.NonDelivery },
        { SealKeyKind.EcdsaP521, ReceiptKind.Deposit },
    };

    [Theory]
    [MemberData(nameof(KeysAndKinds))]
    public void Verify_RoundTrip_ReturnsTheSignedFields(SealKeyKind keyKind, ReceiptKind receiptKind)
    {
        var (ca, sealCertificate) = SharedPki.Get(keyKind);
        using var seal = new PlatformSeal(sealCertificate);
        var expected = SampleReceipts.Create(receiptKind);

        var result = new ReceiptVerifier().Verify(new ReceiptSigner(seal).Sign(expected), [ca]);

        Assert.True(result.IsValid, result.FailureReason);
        Assert.Equal(expected.Recipients, result.Receipt.Recipients);
        // Records compare lists by reference: compare everything else through the record, the list above.
        Assert.Equal(expected, result.Receipt with { Recipients = expected.Recipients });
        Assert.Equal(TimeSpan.Zero, result.Receipt.EventTime.Offset);
        Assert.Equal(sealCertificate.RawData, result.SignerCertificate.RawData);
        result.SignerCertificate.Dispose();
    }

    [Fact]
    public void Verify_RoundTrip_TruncatesTimesToTheMillisecond()
    {
        var (ca, sealCertificate) = SharedPki.Get(SealKeyKind.EcdsaP256);
        using var seal = new PlatformSeal(sealCertificate);
        var eventTime = new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero).AddTicks(1_234_567); // 123.4567 ms
        var receipt = SampleReceipts.Create() with { EventTime = eventTime, Reason = string.Empty };

        var result = new ReceiptVerifier().Verify(new ReceiptSigner(seal).Sign(receipt), [ca]);

        Assert.True(result.IsValid, result.FailureReason);
        Assert.Equal(new DateTimeOffset(2025, 6, 1, 12, 0, 0, 123, TimeSpan.Zero), result.Receipt.EventTime);
        Assert.Equal(string.Empty, result.Receipt.Reason);
    }

    public static TheoryData<SealKeyKind, string> Tampering => new()
    {
        { SealKeyKind.Rsa3072, "sender" },
        { SealKeyKind.Rsa3072, "payload-digest" },
        { SealKeyKind.Rsa3072, "signature-value" },
        { SealKeyKind.EcdsaP256, "sender" },
        { SealKeyKind.EcdsaP256, "payload-digest" },
        { SealKeyKind.EcdsaP256, "signature-value" },
    };

    [Theory]
    [MemberData(nameof(Tampering))]
    public async Task Verify_TamperedReceipt_FailsWithXmlsec1AndVerifier(SealKeyKind keyKind, string tampering)
    {
        var (ca, sealCertificate) = SharedPki.Get(keyKind);
        using var seal = new PlatformSeal(sealCertificate);
        using var temp = new TempDirectory();
        var signed = Encoding.UTF8.GetString(new ReceiptSigner(seal).Sign(SampleReceipts.Create()));

        var tampered = tampering switch
        {
            "sender" => Replace(signed, $">{SampleReceipts.Sender}<", ">ministere-b.gouv.fr<"),
            "payload-digest" => Replace(signed, SampleReceipts.PayloadSha256, SampleReceipts.PayloadSha256[..^1] + "9"),
            _ => FlipSignatureValue(signed),
        };
        var bytes = Encoding.UTF8.GetBytes(tampered);

        var xmlsec = await XmlSec1.VerifyAsync(temp, ca, bytes);
        Assert.True(xmlsec.ExitCode != 0, $"xmlsec1 accepted a tampered receipt: {xmlsec}");
        var result = new ReceiptVerifier().Verify(bytes, [ca]);
        Assert.False(result.IsValid);
        Assert.Contains("signature does not verify", result.FailureReason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(SealKeyKind.Rsa3072)]
    [InlineData(SealKeyKind.EcdsaP256)]
    public async Task Verify_SealFromAnotherCa_FailsWithTheTrustedCa(SealKeyKind keyKind)
    {
        var (trustedCa, _) = SharedPki.Get(keyKind);
        using var otherCa = TestPki.CreateCa("Other CA", keyKind);
        using var otherSeal = TestPki.CreateSeal(otherCa, keyKind);
        using var seal = new PlatformSeal(otherSeal);
        using var temp = new TempDirectory();
        var signed = new ReceiptSigner(seal).Sign(SampleReceipts.Create());

        var xmlsec = await XmlSec1.VerifyAsync(temp, trustedCa, signed);
        Assert.True(xmlsec.ExitCode != 0, $"xmlsec1 accepted a seal from another CA: {xmlsec}");
        var result = new ReceiptVerifier().Verify(signed, [trustedCa]);
        Assert.False(result.IsValid);
        Assert.Contains("does not chain to a trusted certificate authority", result.FailureReason, StringComparison.Ordinal);

        // Control: the same receipt is fine for whoever trusts its CA.
        Assert.True(new ReceiptVerifier().Verify(signed, [trustedCa, otherCa]).IsValid);
        var control = await XmlSec1.VerifyAsync(temp, otherCa, signed);
        Assert.True(control.ExitCode == 0, $"xmlsec1 refused the receipt with its own CA: {control}");
    }

    [Fact]
    public async Task Verify_SealFromIntermediateCa_NeedsTheIntermediateInTheTrustedSet()
    {
        var (root, _) = SharedPki.Get(SealKeyKind.EcdsaP256);
        using var intermediate = TestPki.CreateIntermediateCa(root, "PEC Issuing CA");
        using var sealCertificate = TestPki.CreateSeal(intermediate, SealKeyKind.EcdsaP256);
        using var seal = new PlatformSeal(sealCertificate);
        using var temp = new TempDirectory();
        var signed = new ReceiptSigner(seal).Sign(SampleReceipts.Create());

        // KeyInfo carries the seal only, and chain building never downloads issuers.
        Assert.False(new ReceiptVerifier().Verify(signed, [root]).IsValid);
        var result = new ReceiptVerifier().Verify(signed, [root, intermediate]);
        Assert.True(result.IsValid, result.FailureReason);

        TestPki.WriteCertificatePem(root, temp.File("root.crt"));
        TestPki.WriteCertificatePem(intermediate, temp.File("intermediate.crt"));
        await File.WriteAllBytesAsync(temp.File("receipt.xml"), signed);
        var xmlsec = await ExternalTool.RunAsync(
            "xmlsec1", temp.Path, "--verify", "--trusted-pem", "root.crt", "--untrusted-pem", "intermediate.crt", "receipt.xml");
        Assert.True(xmlsec.ExitCode == 0, $"xmlsec1 refused the receipt: {xmlsec}");
    }

    [Fact]
    public void Verify_CorruptedBytes_NeverThrowsNorAcceptsOtherContent()
    {
        var (ca, sealCertificate) = SharedPki.Get(SealKeyKind.EcdsaP256);
        using var seal = new PlatformSeal(sealCertificate);
        var expected = SampleReceipts.Create();
        var signed = new ReceiptSigner(seal).Sign(expected);
        var verifier = new ReceiptVerifier();
#pragma warning disable CA5394 // Deterministic corruption, not security randomness.
        var random = new Random(20250314);

        for (var i = 0; i < 3000; i++)
        {
            var corrupted = (byte[])signed.Clone();
            var flips = random.Next(1, 4);
            for (var f = 0; f < flips; f++)
            {
                corrupted[random.Next(corrupted.Length)] = (byte)random.Next(256);
            }

            var result = verifier.Verify(corrupted, [ca]);

            // Some changes are neutral (unchanged byte, base64 padding bits, CR for LF, whitespace in the
            // XML declaration): what matters is that nothing accepted says anything other than what was signed.
            if (result.IsValid)
            {
                Assert.Equal(expected.Recipients, result.Receipt.Recipients);
                Assert.Equal(expected, result.Receipt with { Recipients = expected.Recipients });
                Assert.Equal(sealCertificate.RawData, result.SignerCertificate.RawData);
            }
        }
#pragma warning restore CA5394
    }

    [Fact]
    public void Verify_SelfSignedSealNotInTrustedSet_Fails()
    {
        var (ca, _) = SharedPki.Get(SealKeyKind.EcdsaP256);
        using var selfSigned = SelfSignedSeal();
        using var seal = new PlatformSeal(selfSigned);
        var signed = new ReceiptSigner(seal).Sign(SampleReceipts.Create());

        var result = new ReceiptVerifier().Verify(signed, [ca]);

        Assert.False(result.IsValid);
        Assert.Contains("does not chain", result.FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_AfterTheSealExpired_Fails()
    {
        var (ca, sealCertificate) = SharedPki.Get(SealKeyKind.EcdsaP256);
        using var seal = new PlatformSeal(sealCertificate);
        var signed = new ReceiptSigner(seal).Sign(SampleReceipts.Create());
        var later = new ReceiptVerifier(new FixedTimeProvider(sealCertificate.NotAfter.AddDays(1)));

        var result = later.Verify(signed, [ca]);

        Assert.False(result.IsValid);
        Assert.Contains("NotTimeValid", result.FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_WithoutTrustedCa_Fails()
    {
        var (_, sealCertificate) = SharedPki.Get(SealKeyKind.EcdsaP256);
        using var seal = new PlatformSeal(sealCertificate);

        var result = new ReceiptVerifier().Verify(new ReceiptSigner(seal).Sign(SampleReceipts.Create()), []);

        Assert.False(result.IsValid);
        Assert.Contains("No trusted certificate authority", result.FailureReason, StringComparison.Ordinal);
    }

    /// <summary>Each case is validly signed (or not XML at all) but breaks one rule the verifier enforces.</summary>
    [Theory]
    [InlineData("not-xml", "not well-formed")]
    [InlineData("dtd", "DTD")]
    [InlineData("wrong-root", "root element")]
    [InlineData("no-signature", "exactly one ds:Signature; found 0")]
    [InlineData("two-signatures", "exactly one ds:Signature; found 2")]
    [InlineData("signature-not-child-of-root", "direct child")]
    [InlineData("inclusive-canonicalization", "CanonicalizationMethod")]
    [InlineData("rsa-sha512", "SignatureMethod")]
    [InlineData("rsa-sha1", "SignatureMethod")]
    [InlineData("sha512-digest", "DigestMethod")]
    [InlineData("sha1-digest", "DigestMethod")]
    [InlineData("enveloped-only", "transforms")]
    [InlineData("extra-transform", "transforms")]
    [InlineData("two-references", "second Reference must have Type")]
    [InlineData("reference-to-id", "Reference URI")]
    [InlineData("object", "ds:Object")]
    [InlineData("no-certificate", "exactly one X509Certificate")]
    [InlineData("two-certificates", "exactly one X509Certificate")]
    [InlineData("certificate-not-base64", "malformed")]
    [InlineData("certificate-not-der", "malformed")]
    [InlineData("digest-not-base64", "malformed")]
    [InlineData("signer-without-key-usage", "key usage")]
    [InlineData("rsa-2048-signer", "does not accept")]
    [InlineData("seal-certificate-mismatch", "SealCertificate")]
    [InlineData("missing-version", "version")]
    [InlineData("unknown-element", "Expected <SealCertificate>")]
    [InlineData("bad-kind", "not a receipt kind")]
    [InlineData("uppercase-digest", "lowercase")]
    [InlineData("local-time", "UTC time")]
    [InlineData("comment-in-sender", "may only contain text")]
    [InlineData("carriage-return-in-sender", "carriage return")]
    public void Verify_RefusesReceiptsOutsideTheProfile(string forgery, string expectedReason)
    {
        var (ca, sealCertificate) = SharedPki.Get(SealKeyKind.Rsa3072);
        using var seal = new PlatformSeal(sealCertificate);
        var signed = new ReceiptSigner(seal).Sign(SampleReceipts.Create());

        var bytes = Forge(forgery, signed, ca, sealCertificate);
        var result = new ReceiptVerifier().Verify(bytes, [ca]);

        Assert.False(result.IsValid, $"{forgery} was accepted");
        Assert.Contains(expectedReason, result.FailureReason, StringComparison.Ordinal);
        Assert.Null(result.Receipt);
        Assert.Null(result.SignerCertificate);
    }

    [Fact]
    public void Verify_ForgeryHelperWithDefaultProfile_IsAccepted()
    {
        // Guards the table above: the forgery helper itself produces receipts the verifier accepts.
        var (ca, sealCertificate) = SharedPki.Get(SealKeyKind.Rsa3072);
        using var seal = new PlatformSeal(sealCertificate);
        var signed = new ReceiptSigner(seal).Sign(SampleReceipts.Create());

        var result = new ReceiptVerifier().Verify(ReceiptForgery.Resign(signed, sealCertificate), [ca]);

        Assert.True(result.IsValid, result.FailureReason);
    }

    private static byte[] Forge(string forgery, byte[] signed, X509Certificate2 ca, X509Certificate2 seal)
    {
        ReceiptForgery.Profile Profile(Func<ReceiptForgery.Profile, ReceiptForgery.Profile> change) => change(new ReceiptForgery.Profile());
        byte[] Resign(ReceiptForgery.Profile? profile = null, Action<XmlDocument>? mutate = null) =>
            ReceiptForgery.Resign(signed, seal, profile, mutate);
        byte[] Edit(Action<XmlDocument> edit)
        {
            var document = ReceiptForgery.Load(signed);
            edit(document);
            return ReceiptForgery.Save(document);
        }

        void SetText(XmlDocument document, string element, string text) => ReceiptForgery.Element(document, element).InnerText = text;

        switch (forgery)
        {
            case "not-xml":
                return Encoding.UTF8.GetBytes("this is not a receipt");
            case "dtd":
                return Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(signed)
                    .Replace("<Receipt ", "<!DOCTYPE Receipt [<!ENTITY x \"y\">]>\n<Receipt ", StringComparison.Ordinal));
            case "wrong-root":
                return Encoding.UTF8.GetBytes("<Other xmlns=\"urn:pec:receipt:v1\"/>");
            case "no-signature":
                return Edit(d => d.DocumentElement!.RemoveChild(ReceiptForgery.SignatureElement(d)));
            case "two-signatures":
                return Edit(d => d.DocumentElement!.AppendChild(ReceiptForgery.SignatureElement(d).CloneNode(true)));
            case "signature-not-child-of-root":
                return Edit(d => ReceiptForgery.Element(d, "Payload").AppendChild(ReceiptForgery.SignatureElement(d)));
            case "inclusive-canonicalization":
                return Resign(Profile(p => p with { Canonicalization = SignedXml.XmlDsigC14NTransformUrl }));
            case "rsa-sha512":
                return Resign(Profile(p => p with { SignatureMethod = SignedXml.XmlDsigRSASHA512Url }));
            case "rsa-sha1":
                return Resign(Profile(p => p with { SignatureMethod = SignedXml.XmlDsigRSASHA1Url }));
            case "sha512-digest":
                return Resign(Profile(p => p with { DigestMethod = SignedXml.XmlDsigSHA512Url }));
            case "sha1-digest":
                return Resign(Profile(p => p with { DigestMethod = SignedXml.XmlDsigSHA1Url }));
            case "enveloped-only":
                return Resign(Profile(p => p with { Transforms = () => [new XmlDsigEnvelopedSignatureTransform()] }));
            case "extra-transform":
                return Resign(Profile(p => p with
                {
                    Transforms = () => [new XmlDsigEnvelopedSignatureTransform(), new XmlDsigExcC14NTransform(), new XmlDsigC14NTransform()],
                }));
            case "two-references":
                return Resign(Profile(p => p with { ReferenceCount = 2 }));
            case "reference-to-id":
                return Resign(Profile(p => p with { ReferenceUri = "#receipt" }));
            case "object":
                return Resign(Profile(p => p with { AddObject = true }));
            case "no-certificate":
                return Resign(Profile(p => p with
                {
                    KeyInfo = c =>
                    {
                        var keyInfo = new KeyInfo();
                        keyInfo.AddClause(new RSAKeyValue(c.GetRSAPublicKey()!));
                        return keyInfo;
                    },
                }));
            case "two-certificates":
                return Resign(Profile(p => p with
                {
                    KeyInfo = c =>
                    {
                        var data = new KeyInfoX509Data(c);
                        data.AddCertificate(ca);
                        var keyInfo = new KeyInfo();
                        keyInfo.AddClause(data);
                        return keyInfo;
                    },
                }));
            case "certificate-not-base64":
                return Edit(d => d.GetElementsByTagName("X509Certificate", ReceiptForgery.Ds)[0]!.InnerText = "!!not base64!!");
            case "certificate-not-der":
                return Edit(d => d.GetElementsByTagName("X509Certificate", ReceiptForgery.Ds)[0]!.InnerText = "AAECAwQ=");
            case "digest-not-base64":
                return Edit(d => d.GetElementsByTagName("DigestValue", ReceiptForgery.Ds)[0]!.InnerText = "%%%");
            case "signer-without-key-usage":
            {
                using var noUsage = TestPki.CreateSeal(ca, SealKeyKind.Rsa3072, System.Security.Cryptography.X509Certificates.X509KeyUsageFlags.KeyEncipherment);
                return ReceiptForgery.Resign(signed, noUsage);
            }

            case "rsa-2048-signer":
            {
                using var weak = TestPki.CreateSeal(ca, SealKeyKind.Rsa2048);
                return ReceiptForgery.Resign(signed, weak);
            }

            case "seal-certificate-mismatch":
                return Resign(mutate: d => SetText(d, "Subject", "CN=Someone else"));
            case "missing-version":
                return Resign(mutate: d => d.DocumentElement!.RemoveAttribute("version"));
            case "unknown-element":
                return Resign(mutate: d => d.DocumentElement!.InsertBefore(
                    d.CreateElement("Extra", ReceiptForgery.ReceiptNamespace), ReceiptForgery.Element(d, "SealCertificate")));
            case "bad-kind":
                return Resign(mutate: d => SetText(d, "Kind", "Delivery"));
            case "uppercase-digest":
                return Resign(mutate: d => SetText(d, "Sha256", SampleReceipts.PayloadSha256.ToUpperInvariant()));
            case "local-time":
                return Resign(mutate: d => SetText(d, "EventTime", "2025-03-14T10:15:30.123+01:00"));
            case "comment-in-sender":
            {
                // Exclusive C14N without comments leaves the digest unchanged: only the reader can catch this.
                var document = ReceiptForgery.Load(signed);
                var sender = ReceiptForgery.Element(document, "Sender");
                sender.InsertAfter(document.CreateComment("x"), sender.FirstChild);
                var bytes = ReceiptForgery.Save(document);
                Assert.True(CheckSignatureOnly(bytes, seal), "the comment should not break the signature");
                return bytes;
            }

            case "carriage-return-in-sender":
                return Resign(mutate: d => SetText(d, "Sender", "ministere\ra"));
            default:
                throw new ArgumentOutOfRangeException(nameof(forgery), forgery, "Unknown forgery.");
        }
    }

    private static bool CheckSignatureOnly(byte[] bytes, X509Certificate2 certificate)
    {
        var document = ReceiptForgery.Load(bytes);
        var signedXml = new SignedXml(document);
        signedXml.LoadXml(ReceiptForgery.SignatureElement(document));
        return signedXml.CheckSignature(certificate, true);
    }

    private static string Replace(string text, string oldValue, string newValue)
    {
        Assert.Contains(oldValue, text, StringComparison.Ordinal);
        return text.Replace(oldValue, newValue, StringComparison.Ordinal);
    }

    private static string FlipSignatureValue(string signed)
    {
        var start = signed.IndexOf("<SignatureValue>", StringComparison.Ordinal) + "<SignatureValue>".Length;
        var value = Convert.FromBase64String(signed[start..signed.IndexOf("</SignatureValue>", start, StringComparison.Ordinal)]);
        var original = Convert.ToBase64String(value);
        value[value.Length / 2] ^= 0x01;
        return Replace(signed, original, Convert.ToBase64String(value));
    }

    private static X509Certificate2 SelfSignedSeal()
    {
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Self-signed seal", key, System.Security.Cryptography.HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(TestPki.SealUsage, true));
        var now = TimeProvider.System.GetUtcNow();
        return request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));
    }
}
