using System.Text;
using Pec.Signing.Tests.Verification.Support;
using Pec.Signing.Verification;

namespace Pec.Signing.Tests.Verification;

/// <summary>
/// The signature-wrapping and tampering samples of the esig/dss test suite. Each must be rejected for the reason that
/// really applies, and the forged content must never come back as signed.
/// </summary>
public sealed class XadesAttackCorpusTests
{
    private static readonly XmlSignatureVerifier Verifier = TestPolicy.Shared.Verifier();

    public static TheoryData<string, string> Attacks => new()
    {
        // The signed TrustServiceStatusList (Id TLISK-102, sequence 45) was moved into the signature's ds:Object and a
        // forged list (Id EVIL, sequence 66645) put at the root. The reference keeps its enveloped-signature transform,
        // but the signature is no longer inside the element it designates.
        { "XSW-enveloped-fake-content.xml", SignatureReasons.Wrapping },
        // The referenced ds:Object Id="o-id-1" was wrapped in <wrapper> inside another ds:Object, next to a forged
        // ds:Object Id="evil"; a referenced ds:Object must be a child of its own ds:Signature.
        { "XSW-enveloping-fake-object.xml", SignatureReasons.Wrapping },
        // The DigestValue of the ds:Object reference was cut to 43 base64 characters: it cannot match any SHA-256.
        { "xades-tampered-reference.xml", SignatureReasons.DigestMismatch },
        // SigningCertificateV2 declares SHA-512 but carries a 32-byte value: it matches no certificate.
        { "xades-wrong-sign-cert-digest.xml", SignatureReasons.SigningCertificateMismatch },
        // A DOCTYPE declaring an external entity (file:///) before the signed Facturae invoice.
        { "xades-with-dtd-injection.xml", SignatureReasons.DtdForbidden },
    };

    [Theory]
    [MemberData(nameof(Attacks))]
    public void Verify_AttackSample_IsRejectedForItsReason(string fileName, string expectedReason)
    {
        var verdict = Verifier.Verify(CorpusFiles.Read(CorpusFiles.XadesAttack(fileName)), SignatureLevels.RgsOneStar);

        Assert.False(verdict.IsValid);
        Assert.Equal(expectedReason, verdict.Reason);
        Assert.All(verdict.Signatures, report => Assert.False(report.IsValid));
    }

    [Fact]
    public void Verify_EnvelopedWrapping_HidesForgedList()
    {
        var verdict = Verifier.Verify(
            CorpusFiles.Read(CorpusFiles.XadesAttack("XSW-enveloped-fake-content.xml")), SignatureLevels.RgsOneStar);

        Assert.Equal(SignatureReasons.Wrapping, verdict.Reason);
        Assert.Contains("TLISK-102", verdict.Detail, StringComparison.Ordinal);
        AssertNotSigned(verdict, "66645");
        AssertNotSigned(verdict, "EVIL");
    }

    [Fact]
    public void Verify_EnvelopingWrapping_HidesForgedObject()
    {
        var verdict = Verifier.Verify(
            CorpusFiles.Read(CorpusFiles.XadesAttack("XSW-enveloping-fake-object.xml")), SignatureLevels.RgsOneStar);

        Assert.Equal(SignatureReasons.Wrapping, verdict.Reason);
        Assert.Contains("o-id-1", verdict.Detail, StringComparison.Ordinal);
        AssertNotSigned(verdict, "aaaa");
    }

    [Fact]
    public void Verify_WrongCertDigest_StillNamesSigner()
    {
        // The references and the SignatureValue are intact: only the XAdES binding to the certificate is wrong.
        var verdict = Verifier.Verify(
            CorpusFiles.Read(CorpusFiles.XadesAttack("xades-wrong-sign-cert-digest.xml")), SignatureLevels.RgsOneStar);

        Assert.Equal(SignatureReasons.SigningCertificateMismatch, verdict.Reason);
        Assert.Contains("CN=good-user", verdict.Signer!.Subject, StringComparison.Ordinal);
        Assert.Equal(new DateTimeOffset(2021, 11, 18, 14, 56, 51, TimeSpan.Zero), verdict.SigningTime);
    }

    private static void AssertNotSigned(SignatureVerdict verdict, string forgedText)
    {
        foreach (var report in verdict.Signatures)
        {
            foreach (var reference in report.SignedContent?.References ?? [])
            {
                Assert.DoesNotContain(forgedText, Encoding.UTF8.GetString(reference.DigestedBytes.Span), StringComparison.Ordinal);
                Assert.DoesNotContain(forgedText, reference.Element?.OuterXml ?? string.Empty, StringComparison.Ordinal);
            }
        }
    }
}
