using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using Pec.Signing.Tests.Verification.Support;
using Pec.Signing.Verification;
using Pec.Signing.Verification.Cades;

namespace Pec.Signing.Tests.Verification.Cades;

public sealed class CadesSignatureVerifierTests
{
    private const string RsaSha256Uri = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
    private const string Sha256Uri = "http://www.w3.org/2001/04/xmlenc#sha256";

    private static TestPolicy Pki => TestPolicy.Shared;

    [Fact]
    public async Task VerifyDetached_OpenSslRsa3072_IsValidAtRgsTwoStars()
    {
        var signature = await CmsSamples.SignWithOpenSslAsync(Pki.Rsa3072);

        var verdict = CmsSamples.Verifier().VerifyDetached(CmsSamples.Payload, signature, SignatureLevels.RgsTwoStars);

        Assert.True(verdict.IsValid, verdict.ToString());
        Assert.Equal(SignatureLevels.RgsTwoStars, verdict.LevelMet);
        Assert.Equal(Pki.Rsa3072.Thumbprint, verdict.Signer?.Certificate.Thumbprint);
        Assert.Equal(RsaSha256Uri, verdict.Algorithms?.SignatureMethod);
        Assert.Equal([Sha256Uri], verdict.Algorithms?.DigestMethods);
        Assert.NotNull(verdict.SigningTime);
        Assert.Single(verdict.Signatures);
    }

    [Fact]
    public async Task VerifyDetached_OpenSslEcdsaP256_IsValidAtRgsTwoStars()
    {
        var signature = await CmsSamples.SignWithOpenSslAsync(Pki.EcdsaP256);

        var verdict = CmsSamples.Verifier().VerifyDetached(CmsSamples.Payload, signature, SignatureLevels.RgsTwoStars);

        Assert.True(verdict.IsValid, verdict.ToString());
        Assert.Equal("http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256", verdict.Algorithms?.SignatureMethod);
    }

    [Fact]
    public async Task VerifyDetached_OpenSslCadesSha384_IsValid()
    {
        // -cades adds the signing-certificate-v2 attribute, which the verifier then compares with the signer.
        var signature = await CmsSamples.SignWithOpenSslAsync(Pki.EcdsaP384, "sha384", "-cades");

        var verdict = CmsSamples.Verifier().VerifyDetached(CmsSamples.Payload, signature, SignatureLevels.RgsTwoStars);

        Assert.True(verdict.IsValid, verdict.ToString());
        Assert.Equal(["http://www.w3.org/2001/04/xmldsig-more#sha384"], verdict.Algorithms?.DigestMethods);
    }

    [Fact]
    public async Task VerifyDetached_OpenSslSha1_IsWeakAlgorithm()
    {
        var signature = await CmsSamples.SignWithOpenSslAsync(Pki.Rsa3072, "sha1");

        var verdict = CmsSamples.Verifier().VerifyDetached(CmsSamples.Payload, signature, SignatureLevels.RgsTwoStars);

        Assert.Equal(SignatureReasons.WeakAlgorithm, verdict.Reason);
    }

    [Fact]
    public async Task VerifyDetached_AlteredContent_IsDigestMismatch()
    {
        var signature = await CmsSamples.SignWithOpenSslAsync(Pki.Rsa3072);
        var altered = (byte[])CmsSamples.Payload.Clone();
        altered[3] ^= 0x01;

        var verdict = CmsSamples.Verifier().VerifyDetached(altered, signature, SignatureLevels.RgsTwoStars);

        Assert.Equal(SignatureReasons.DigestMismatch, verdict.Reason);
        Assert.Null(verdict.Signer);
    }

    [Fact]
    public void VerifyDetached_AlteredSignatureValue_IsSignatureMismatch()
    {
        var signature = CmsSamples.SignWithDotNet(Pki.Rsa3072);
        var cms = new SignedCms(new ContentInfo(CmsSamples.Payload), detached: true);
        cms.Decode(signature);
        var value = cms.SignerInfos[0].GetSignature();
        var index = signature.AsSpan().IndexOf(value);
        signature[index + 10] ^= 0x01;

        var verdict = CmsSamples.Verifier().VerifyDetached(CmsSamples.Payload, signature, SignatureLevels.RgsTwoStars);

        Assert.Equal(SignatureReasons.SignatureMismatch, verdict.Reason);
    }

    [Fact]
    public async Task VerifyDetached_RevokedSigner_IsCertificateRevoked()
    {
        var signature = await CmsSamples.SignWithOpenSslAsync(Pki.Revoked);

        var verdict = CmsSamples.Verifier().VerifyDetached(CmsSamples.Payload, signature, SignatureLevels.RgsTwoStars);

        Assert.Equal(SignatureReasons.CertificateRevoked, verdict.Reason);
    }

    [Fact]
    public async Task VerifyDetached_ExpiredSigner_IsCertificateExpired()
    {
        var signature = await CmsSamples.SignWithOpenSslAsync(Pki.Expired);

        var verdict = CmsSamples.Verifier().VerifyDetached(CmsSamples.Payload, signature, SignatureLevels.RgsTwoStars);

        Assert.Equal(SignatureReasons.CertificateExpired, verdict.Reason);
    }

    [Fact]
    public async Task VerifyDetached_SignerFromOtherCa_IsUntrustedChain()
    {
        var signature = await CmsSamples.SignWithOpenSslAsync(Pki.Attacker);

        var verdict = CmsSamples.Verifier().VerifyDetached(CmsSamples.Payload, signature, SignatureLevels.RgsTwoStars);

        Assert.Equal(SignatureReasons.UntrustedChain, verdict.Reason);
    }

    [Fact]
    public async Task VerifyDetached_WithoutNonRepudiation_IsKeyUsage()
    {
        var signature = await CmsSamples.SignWithOpenSslAsync(Pki.DigitalSignatureOnly);

        var verdict = CmsSamples.Verifier().VerifyDetached(CmsSamples.Payload, signature, SignatureLevels.RgsTwoStars);

        Assert.Equal(SignatureReasons.KeyUsage, verdict.Reason);
    }

    [Fact]
    public async Task VerifyDetached_Rsa1024_IsWeakKey()
    {
        var signature = await CmsSamples.SignWithOpenSslAsync(Pki.Rsa1024);

        var verdict = CmsSamples.Verifier().VerifyDetached(CmsSamples.Payload, signature, SignatureLevels.RgsTwoStars);

        Assert.Equal(SignatureReasons.WeakKey, verdict.Reason);
    }

    [Fact]
    public async Task VerifyDetached_OnlyLowerLevelAnchor_IsLevelNotMet()
    {
        var signature = await CmsSamples.SignWithOpenSslAsync(Pki.Rsa3072);
        var verifier = new CadesSignatureVerifier(Pki.Options(), TimeProvider.System);

        var verdict = verifier.VerifyDetached(CmsSamples.Payload, signature, SignatureLevels.RgsTwoStars);

        Assert.Equal(SignatureReasons.LevelNotMet, verdict.Reason);
        Assert.Equal(SignatureLevels.RgsOneStar, verdict.LevelMet);
    }

    [Fact]
    public async Task VerifyDetached_NoSignedAttributes_IsUnsupportedSignature()
    {
        var signature = await CmsSamples.SignWithOpenSslAsync(Pki.Rsa3072, "sha256", "-noattr");

        var verdict = CmsSamples.Verifier().VerifyDetached(CmsSamples.Payload, signature, SignatureLevels.RgsTwoStars);

        Assert.Equal(SignatureReasons.UnsupportedSignature, verdict.Reason);
    }

    [Fact]
    public async Task VerifyDetached_NoSignerInfo_IsMissingSignature()
    {
        var signature = await CmsSamples.UnsignedWithOpenSslAsync(Pki.Rsa3072);

        var verdict = CmsSamples.Verifier().VerifyDetached(CmsSamples.Payload, signature, SignatureLevels.RgsTwoStars);
        var noneVerdict = CmsSamples.Verifier().VerifyDetached(CmsSamples.Payload, signature, SignatureLevels.None);

        Assert.Equal(SignatureReasons.MissingSignature, verdict.Reason);
        Assert.True(noneVerdict.IsValid, noneVerdict.ToString());
        Assert.Equal(SignatureLevels.None, noneVerdict.LevelMet);
    }

    [Fact]
    public async Task VerifyDetached_EmbeddedContent_IsUnsupportedSignature()
    {
        var signature = await CmsSamples.SignWithOpenSslAsync(Pki.Rsa3072, "sha256", "-nodetach");

        var verdict = CmsSamples.Verifier().VerifyDetached(CmsSamples.Payload, signature, SignatureLevels.RgsTwoStars);

        Assert.Equal(SignatureReasons.UnsupportedSignature, verdict.Reason);
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 0x30, 0x03, 0x02, 0x01 })]
    [InlineData(new byte[] { 0x25, 0x50, 0x44, 0x46, 0x2D })]
    public void VerifyDetached_Garbage_IsMalformedSignature(byte[] garbage)
    {
        var verdict = CmsSamples.Verifier().VerifyDetached(CmsSamples.Payload, garbage, SignatureLevels.RgsTwoStars);

        Assert.Equal(SignatureReasons.MalformedSignature, verdict.Reason);
    }

    [Fact]
    public void VerifyDetached_OverOneMebibyte_IsMalformedSignature()
    {
        var oversized = new byte[CadesSignatureVerifier.MaxSignatureBytes + 1];

        var verdict = CmsSamples.Verifier().VerifyDetached(CmsSamples.Payload, oversized, SignatureLevels.RgsTwoStars);

        Assert.Equal(SignatureReasons.MalformedSignature, verdict.Reason);
    }

    [Fact]
    public void VerifyDetached_DotNetSignedCms_IsValidWithSigningTime()
    {
        var signature = CmsSamples.SignWithDotNet(Pki.Rsa3072, HashAlgorithmName.SHA512);

        var verdict = CmsSamples.Verifier().VerifyDetached(new MemoryStream(CmsSamples.Payload), signature, SignatureLevels.RgsTwoStars);

        Assert.True(verdict.IsValid, verdict.ToString());
        Assert.Equal(CmsSamples.SigningTime.ToUnixTimeSeconds(), verdict.SigningTime?.ToUnixTimeSeconds());
        Assert.Equal("http://www.w3.org/2001/04/xmldsig-more#rsa-sha512", verdict.Algorithms?.SignatureMethod);
    }

    [Fact]
    public void VerifyDetached_DotNetRsaPss_IsValid()
    {
        var signature = CmsSamples.SignWithDotNet(Pki.Rsa3072, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);

        var verdict = CmsSamples.Verifier().VerifyDetached(CmsSamples.Payload, signature, SignatureLevels.RgsTwoStars);

        Assert.True(verdict.IsValid, verdict.ToString());
        Assert.Equal("http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1", verdict.Algorithms?.SignatureMethod);
    }

    [Fact]
    public void VerifyDetached_SigningCertificateV2ForOtherCertificate_IsSigningCertificateMismatch()
    {
        var signature = CmsSamples.SignWithDotNet(Pki.Rsa3072, signingCertificateV2: Pki.Rsa2048);

        var verdict = CmsSamples.Verifier().VerifyDetached(CmsSamples.Payload, signature, SignatureLevels.RgsTwoStars);

        Assert.Equal(SignatureReasons.SigningCertificateMismatch, verdict.Reason);
    }

    [Fact]
    public void VerifyDetached_SigningTimeBeforeExpiry_IsValid()
    {
        // The signed signingTime (one minute ago) is inside the validity of a signer that expires in one hour.
        using var shortLived = VerificationPki.CreateSigner(
            Pki.RgsOneStarCa, SignerKey.EcdsaP256, "Agent bientot parti", notBefore: VerificationPki.Now.AddDays(-1), notAfter: VerificationPki.Now.AddHours(1));
        var signature = CmsSamples.SignWithDotNet(shortLived);

        var later = CmsSamples.Verifier().VerifyDetached(CmsSamples.Payload, signature, SignatureLevels.RgsTwoStars, VerificationPki.Now.AddHours(3));

        Assert.NotEqual(SignatureReasons.CertificateExpired, later.Reason);
    }

    [Fact]
    public void VerifyDetached_UntrustedAndTrustedSigners_IsValid()
    {
        var cms = new SignedCms(new ContentInfo(CmsSamples.Payload), detached: true);
        foreach (var signer in new[] { Pki.Attacker, Pki.EcdsaP256 })
        {
            var cmsSigner = new CmsSigner(SubjectIdentifierType.IssuerAndSerialNumber, signer);
            cmsSigner.SignedAttributes.Add(new Pkcs9SigningTime(CmsSamples.SigningTime.UtcDateTime));
            cms.ComputeSignature(cmsSigner, silent: true);
        }

        var verdict = CmsSamples.Verifier().VerifyDetached(CmsSamples.Payload, cms.Encode(), SignatureLevels.RgsTwoStars);

        Assert.True(verdict.IsValid, verdict.ToString());
        Assert.Equal(2, verdict.Signatures.Count);
        // SignerInfos is a DER SET OF, so the encoding may reorder the signers.
        Assert.Single(verdict.Signatures, report => report.Reason == SignatureReasons.UntrustedChain);
        Assert.Equal(Pki.EcdsaP256.Thumbprint, verdict.Signer?.Certificate.Thumbprint);
    }

    [Fact]
    public void VerifyDetached_ContentTypeOtherThanData_IsUnsupportedSignature()
    {
        // id-ct-TSTInfo: a CMS over another content type must not pass for a signature over the payload bytes.
        var cms = new SignedCms(new ContentInfo(new Oid("1.2.840.113549.1.9.16.1.4"), CmsSamples.Payload), detached: true);
        var cmsSigner = new CmsSigner(SubjectIdentifierType.IssuerAndSerialNumber, Pki.Rsa3072);
        cmsSigner.SignedAttributes.Add(new Pkcs9SigningTime(CmsSamples.SigningTime.UtcDateTime));
        cms.ComputeSignature(cmsSigner, silent: true);

        var verdict = CmsSamples.Verifier().VerifyDetached(CmsSamples.Payload, cms.Encode(), SignatureLevels.RgsTwoStars);

        Assert.Equal(SignatureReasons.UnsupportedSignature, verdict.Reason);
        Assert.Contains("content type", verdict.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void VerifyDetached_SubjectKeyIdentifierSigner_IsValid()
    {
        var cms = new SignedCms(new ContentInfo(CmsSamples.Payload), detached: true);
        var cmsSigner = new CmsSigner(SubjectIdentifierType.SubjectKeyIdentifier, Pki.EcdsaP256);
        cmsSigner.SignedAttributes.Add(new Pkcs9SigningTime(CmsSamples.SigningTime.UtcDateTime));
        cms.ComputeSignature(cmsSigner, silent: true);

        var verdict = CmsSamples.Verifier().VerifyDetached(CmsSamples.Payload, cms.Encode(), SignatureLevels.RgsTwoStars);

        Assert.True(verdict.IsValid, verdict.ToString());
    }

    [Fact]
    public void VerifyDetached_SignerCertificateMissing_IsUnsupportedSignature()
    {
        var cms = new SignedCms(new ContentInfo(CmsSamples.Payload), detached: true);
        var cmsSigner = new CmsSigner(SubjectIdentifierType.IssuerAndSerialNumber, Pki.Rsa3072) { IncludeOption = X509IncludeOption.None };
        cmsSigner.SignedAttributes.Add(new Pkcs9SigningTime(CmsSamples.SigningTime.UtcDateTime));
        cms.ComputeSignature(cmsSigner, silent: true);

        var verdict = CmsSamples.Verifier().VerifyDetached(CmsSamples.Payload, cms.Encode(), SignatureLevels.RgsTwoStars);

        Assert.Equal(SignatureReasons.UnsupportedSignature, verdict.Reason);
    }

    [Fact]
    public void VerifyDetached_TwoSigningCertificateValues_IsMalformedSignature()
    {
        // Two values could let two readers disagree on which certificate is bound to the signature.
        var cms = new SignedCms(new ContentInfo(CmsSamples.Payload), detached: true);
        var cmsSigner = new CmsSigner(SubjectIdentifierType.IssuerAndSerialNumber, Pki.Rsa3072);
        cmsSigner.SignedAttributes.Add(new Pkcs9SigningTime(CmsSamples.SigningTime.UtcDateTime));
        cmsSigner.SignedAttributes.Add(CmsSamples.SigningCertificateV2(Pki.Rsa3072));
        cmsSigner.SignedAttributes.Add(CmsSamples.SigningCertificateV2(Pki.Rsa2048));
        cms.ComputeSignature(cmsSigner, silent: true);

        var verdict = CmsSamples.Verifier().VerifyDetached(CmsSamples.Payload, cms.Encode(), SignatureLevels.RgsTwoStars);

        Assert.Equal(SignatureReasons.MalformedSignature, verdict.Reason);
    }

    [Fact]
    public void VerifyDetached_UnknownLevel_Throws()
    {
        Assert.Throws<ArgumentException>(() => CmsSamples.Verifier().VerifyDetached(CmsSamples.Payload, [0x30], "RGS****"));
    }
}
