using System.Buffers.Text;
using System.Text;
using Pec.Signing.Tests.Verification.Support;
using Pec.Signing.Verification;

namespace Pec.Signing.Tests.Verification.Jws;

public sealed class JwsSignatureVerifierTests
{
    private static TestPolicy Pki => TestPolicy.Shared;

    [Fact]
    public void VerifyDetachedJws_Rs256_IsValidAtRgsTwoStars()
    {
        var jws = JwsSamples.Sign(Pki.Rsa3072, JwsSamples.Header("RS256", Pki.Rsa3072));

        var verdict = JwsSamples.Verifier().VerifyDetachedJws(JwsSamples.Payload, jws, SignatureLevels.RgsTwoStars);

        Assert.True(verdict.IsValid, verdict.ToString());
        Assert.Equal(SignatureLevels.RgsTwoStars, verdict.LevelMet);
        Assert.Equal("RS256", verdict.Algorithms?.SignatureMethod);
        Assert.Equal(Pki.Rsa3072.Thumbprint, verdict.Signer?.Certificate.Thumbprint);
        Assert.Null(verdict.SigningTime);
    }

    [Theory]
    [InlineData("ES256")]
    [InlineData("PS256")]
    [InlineData("PS512")]
    [InlineData("RS384")]
    public void VerifyDetachedJws_AcceptedAlgorithm_IsValid(string alg)
    {
        var signer = alg.StartsWith("ES", StringComparison.Ordinal) ? Pki.EcdsaP256 : Pki.Rsa3072;
        var jws = JwsSamples.Sign(signer, JwsSamples.Header(alg, signer));

        var verdict = JwsSamples.Verifier().VerifyDetachedJws(JwsSamples.Payload, jws, SignatureLevels.RgsTwoStars);

        Assert.True(verdict.IsValid, verdict.ToString());
        Assert.Equal(alg, verdict.Algorithms?.SignatureMethod);
    }

    [Fact]
    public void VerifyDetachedJws_Es384WithThumbprintAndIat_IsValidWithSigningTime()
    {
        var iat = VerificationPki.Now.AddMinutes(-1).ToUnixTimeSeconds();
        var jws = JwsSamples.Sign(Pki.EcdsaP384, JwsSamples.Header("ES384", Pki.EcdsaP384, $"{JwsSamples.X5tS256(Pki.EcdsaP384)},\"iat\":{iat}"));

        var verdict = JwsSamples.Verifier().VerifyDetachedJws(JwsSamples.Payload, jws, SignatureLevels.RgsTwoStars);

        Assert.True(verdict.IsValid, verdict.ToString());
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(iat), verdict.SigningTime);
    }

    [Fact]
    public void VerifyDetachedJws_SigT_IsSigningTime()
    {
        var sigT = VerificationPki.Now.AddMinutes(-1);
        var header = JwsSamples.Header("ES256", Pki.EcdsaP256, $"\"sigT\":\"{sigT:yyyy-MM-ddTHH:mm:ssZ}\",\"crit\":[\"sigT\"]");
        var jws = JwsSamples.Sign(Pki.EcdsaP256, header);

        var verdict = JwsSamples.Verifier().VerifyDetachedJws(JwsSamples.Payload, jws, SignatureLevels.RgsTwoStars);

        Assert.True(verdict.IsValid, verdict.ToString());
        Assert.Equal(sigT.ToUnixTimeSeconds(), verdict.SigningTime?.ToUnixTimeSeconds());
    }

    [Fact]
    public void VerifyDetachedJws_UnencodedPayload_IsValid()
    {
        var header = JwsSamples.Header("RS256", Pki.Rsa3072, "\"b64\":false,\"crit\":[\"b64\"]");
        var jws = JwsSamples.Sign(Pki.Rsa3072, header, encodePayload: false);

        var verdict = JwsSamples.Verifier().VerifyDetachedJws(JwsSamples.Payload, jws, SignatureLevels.RgsTwoStars);

        Assert.True(verdict.IsValid, verdict.ToString());
    }

    [Fact]
    public void VerifyDetachedJws_UnencodedPayloadWithoutCrit_IsUnsupportedSignature()
    {
        var header = JwsSamples.Header("RS256", Pki.Rsa3072, "\"b64\":false");
        var jws = JwsSamples.Sign(Pki.Rsa3072, header, encodePayload: false);

        var verdict = JwsSamples.Verifier().VerifyDetachedJws(JwsSamples.Payload, jws, SignatureLevels.RgsTwoStars);

        Assert.Equal(SignatureReasons.UnsupportedSignature, verdict.Reason);
    }

    [Theory]
    [InlineData("none")]
    [InlineData("HS256")]
    [InlineData("HS512")]
    public void VerifyDetachedJws_NoneOrHmac_IsWeakAlgorithm(string alg)
    {
        var jws = JwsSamples.Sign(Pki.Rsa3072, JwsSamples.Header(alg, Pki.Rsa3072));

        var verdict = JwsSamples.Verifier().VerifyDetachedJws(JwsSamples.Payload, jws, SignatureLevels.RgsTwoStars);

        Assert.Equal(SignatureReasons.WeakAlgorithm, verdict.Reason);
    }

    [Fact]
    public void VerifyDetachedJws_NoneWithEmptySignature_IsWeakAlgorithm()
    {
        var header = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(JwsSamples.Header("none", Pki.Rsa3072)));

        var verdict = JwsSamples.Verifier().VerifyDetachedJws(JwsSamples.Payload, header + "..", SignatureLevels.RgsTwoStars);

        Assert.Equal(SignatureReasons.WeakAlgorithm, verdict.Reason);
    }

    [Fact]
    public void VerifyDetachedJws_UnknownAlgorithm_IsUnsupportedSignature()
    {
        var jws = JwsSamples.Sign(Pki.Rsa3072, JwsSamples.Header("EdDSA", Pki.Rsa3072));

        var verdict = JwsSamples.Verifier().VerifyDetachedJws(JwsSamples.Payload, jws, SignatureLevels.RgsTwoStars);

        Assert.Equal(SignatureReasons.UnsupportedSignature, verdict.Reason);
    }

    [Fact]
    public void VerifyDetachedJws_TamperedPayload_IsSignatureMismatch()
    {
        var jws = JwsSamples.Sign(Pki.EcdsaP256, JwsSamples.Header("ES256", Pki.EcdsaP256));
        var tampered = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(JwsSamples.Payload).Replace("1250.5", "9250.5", StringComparison.Ordinal));

        var verdict = JwsSamples.Verifier().VerifyDetachedJws(tampered, jws, SignatureLevels.RgsTwoStars);

        Assert.Equal(SignatureReasons.SignatureMismatch, verdict.Reason);
        Assert.Null(verdict.Signer);
    }

    [Fact]
    public void VerifyDetachedJws_UnencodedPayloadTampered_IsSignatureMismatch()
    {
        var header = JwsSamples.Header("PS256", Pki.Rsa3072, "\"b64\":false,\"crit\":[\"b64\"]");
        var jws = JwsSamples.Sign(Pki.Rsa3072, header, encodePayload: false);

        var verdict = JwsSamples.Verifier().VerifyDetachedJws([.. JwsSamples.Payload, (byte)' '], jws, SignatureLevels.RgsTwoStars);

        Assert.Equal(SignatureReasons.SignatureMismatch, verdict.Reason);
    }

    [Fact]
    public void VerifyDetachedJws_ThumbprintOfOtherCertificate_IsSigningCertificateMismatch()
    {
        var jws = JwsSamples.Sign(Pki.Rsa3072, JwsSamples.Header("RS256", Pki.Rsa3072, JwsSamples.X5tS256(Pki.Rsa2048)));

        var verdict = JwsSamples.Verifier().VerifyDetachedJws(JwsSamples.Payload, jws, SignatureLevels.RgsTwoStars);

        Assert.Equal(SignatureReasons.SigningCertificateMismatch, verdict.Reason);
    }

    [Fact]
    public void VerifyDetachedJws_DerEncodedEs256_IsSignatureMismatch()
    {
        var jws = JwsSamples.Sign(Pki.EcdsaP256, JwsSamples.Header("ES256", Pki.EcdsaP256), derEcdsa: true);

        var verdict = JwsSamples.Verifier().VerifyDetachedJws(JwsSamples.Payload, jws, SignatureLevels.RgsTwoStars);

        Assert.Equal(SignatureReasons.SignatureMismatch, verdict.Reason);
        Assert.Contains("DER", verdict.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void VerifyDetachedJws_Es384OnP256Key_IsUnsupportedSignature()
    {
        var jws = JwsSamples.Sign(Pki.EcdsaP256, JwsSamples.Header("ES384", Pki.EcdsaP256));

        var verdict = JwsSamples.Verifier().VerifyDetachedJws(JwsSamples.Payload, jws, SignatureLevels.RgsTwoStars);

        Assert.Equal(SignatureReasons.UnsupportedSignature, verdict.Reason);
    }

    [Theory]
    [InlineData("{{\"alg\":\"RS256\",\"alg\":\"none\",{0}}}")]
    [InlineData("{{\"alg\":\"RS256\",{0},\"kid\":\"a\",\"kid\":\"b\"}}")]
    [InlineData("{{\"alg\":\"RS256\",{0},\"ext\":{{\"a\":1,\"a\":2}}}}")]
    [InlineData("{{\"alg\":\"RS256\",{0},\"\\u0061lg\":\"RS256\"}}")]
    public void VerifyDetachedJws_DuplicateHeaderMember_IsMalformedSignature(string headerFormat)
    {
        var header = string.Format(System.Globalization.CultureInfo.InvariantCulture, headerFormat, JwsSamples.X5c(Pki.Rsa3072));
        var jws = JwsSamples.Sign(Pki.Rsa3072, header);

        var verdict = JwsSamples.Verifier().VerifyDetachedJws(JwsSamples.Payload, jws, SignatureLevels.RgsTwoStars);

        Assert.Equal(SignatureReasons.MalformedSignature, verdict.Reason);
    }

    [Fact]
    public void VerifyDetachedJws_UnknownCritical_IsUnsupportedSignature()
    {
        var jws = JwsSamples.Sign(Pki.Rsa3072, JwsSamples.Header("RS256", Pki.Rsa3072, "\"exp\":1,\"crit\":[\"exp\"]"));

        var verdict = JwsSamples.Verifier().VerifyDetachedJws(JwsSamples.Payload, jws, SignatureLevels.RgsTwoStars);

        Assert.Equal(SignatureReasons.UnsupportedSignature, verdict.Reason);
    }

    [Fact]
    public void VerifyDetachedJws_InvalidUtf8Header_IsMalformedSignature()
    {
        var header = Encoding.UTF8.GetBytes(JwsSamples.Header("RS256", Pki.Rsa3072, "\"kid\":\"xx\""));
        // 0xC3 starts a two-byte UTF-8 sequence, and the closing quote that follows cannot continue it.
        header[Array.LastIndexOf(header, (byte)'x')] = 0xC3;
        var jws = JwsSamples.SignHeaderBytes(Pki.Rsa3072, header);

        var verdict = JwsSamples.Verifier().VerifyDetachedJws(JwsSamples.Payload, jws, SignatureLevels.RgsTwoStars);

        Assert.Equal(SignatureReasons.MalformedSignature, verdict.Reason);
    }

    [Fact]
    public void VerifyDetachedJws_AttachedPayload_IsUnsupportedSignature()
    {
        var jws = JwsSamples.Sign(Pki.Rsa3072, JwsSamples.Header("RS256", Pki.Rsa3072));
        var parts = jws.Split('.');

        var verdict = JwsSamples.Verifier().VerifyDetachedJws(
            JwsSamples.Payload, $"{parts[0]}.{Base64Url.EncodeToString(JwsSamples.Payload)}.{parts[2]}", SignatureLevels.RgsTwoStars);

        Assert.Equal(SignatureReasons.UnsupportedSignature, verdict.Reason);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("a.b.c.d")]
    [InlineData("eyJhbGciOiJSUzI1NiJ9=..AAAA")]
    [InlineData("e30..AAAA")]
    [InlineData("WyJSUzI1NiJd..AAAA")]
    [InlineData("eyJhbGciOiJSUzI1NiJ9..A")]
    public void VerifyDetachedJws_Garbage_IsMalformedSignature(string jws)
    {
        var verdict = JwsSamples.Verifier().VerifyDetachedJws(JwsSamples.Payload, jws, SignatureLevels.RgsTwoStars);

        Assert.Equal(SignatureReasons.MalformedSignature, verdict.Reason);
    }

    [Fact]
    public void VerifyDetachedJws_RevokedSigner_IsCertificateRevoked()
    {
        var jws = JwsSamples.Sign(Pki.Revoked, JwsSamples.Header("ES256", Pki.Revoked));

        var verdict = JwsSamples.Verifier().VerifyDetachedJws(JwsSamples.Payload, jws, SignatureLevels.RgsTwoStars);

        Assert.Equal(SignatureReasons.CertificateRevoked, verdict.Reason);
    }

    [Fact]
    public void VerifyDetachedJws_SignerFromOtherCa_IsUntrustedChain()
    {
        var jws = JwsSamples.Sign(Pki.Attacker, JwsSamples.Header("RS256", Pki.Attacker));

        var verdict = JwsSamples.Verifier().VerifyDetachedJws(JwsSamples.Payload, jws, SignatureLevels.RgsTwoStars);

        Assert.Equal(SignatureReasons.UntrustedChain, verdict.Reason);
    }

    [Fact]
    public void VerifyDetachedJws_WithoutNonRepudiation_IsKeyUsage()
    {
        var jws = JwsSamples.Sign(Pki.DigitalSignatureOnly, JwsSamples.Header("ES256", Pki.DigitalSignatureOnly));

        var verdict = JwsSamples.Verifier().VerifyDetachedJws(JwsSamples.Payload, jws, SignatureLevels.RgsTwoStars);

        Assert.Equal(SignatureReasons.KeyUsage, verdict.Reason);
    }

    [Fact]
    public void VerifyDetachedJws_WithoutX5c_IsUnsupportedSignature()
    {
        var jws = JwsSamples.Sign(Pki.Rsa3072, "{\"alg\":\"RS256\",\"kid\":\"agent\"}");

        var verdict = JwsSamples.Verifier().VerifyDetachedJws(JwsSamples.Payload, jws, SignatureLevels.RgsTwoStars);

        Assert.Equal(SignatureReasons.UnsupportedSignature, verdict.Reason);
    }

    [Fact]
    public void VerifyDetachedJws_Empty_IsMissingSignatureUnlessLevelNone()
    {
        var verdict = JwsSamples.Verifier().VerifyDetachedJws(JwsSamples.Payload, string.Empty, SignatureLevels.RgsOneStar);
        var noneVerdict = JwsSamples.Verifier().VerifyDetachedJws(JwsSamples.Payload, string.Empty, SignatureLevels.None);

        Assert.Equal(SignatureReasons.MissingSignature, verdict.Reason);
        Assert.True(noneVerdict.IsValid, noneVerdict.ToString());
    }

    [Fact]
    public void VerifyDetachedJws_InvalidJwsAtLevelNone_IsValidAndReported()
    {
        var jws = JwsSamples.Sign(Pki.Attacker, JwsSamples.Header("RS256", Pki.Attacker));

        var verdict = JwsSamples.Verifier().VerifyDetachedJws(JwsSamples.Payload, jws, SignatureLevels.None);

        Assert.True(verdict.IsValid, verdict.ToString());
        Assert.Equal(SignatureLevels.None, verdict.LevelMet);
        Assert.Equal(SignatureReasons.UntrustedChain, verdict.Signatures[0].Reason);
    }
}
