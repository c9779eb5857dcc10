using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Pec.Signing.Tests.Verification.Jws;
using Pec.Signing.Tests.Verification.Support;
using Pec.Signing.Verification;

namespace Pec.Signing.Tests.Verification.Cades;

public sealed class PayloadSignatureVerifierTests
{
    private static TestPolicy Pki => TestPolicy.Shared;

    private static PayloadSignatureVerifier Verifier() =>
        new(Pki.Options(options => options.Levels[SignatureLevels.RgsTwoStars] = TestPolicy.Level(Pki.RgsOneStarCaPath)), TimeProvider.System);

    [Fact]
    public void Verify_EachFormat_GivesSameVerdictShape()
    {
        var verifier = Verifier();
        var cms = CmsSamples.SignWithDotNet(Pki.EcdsaP256);
        var jws = JwsSamples.Sign(Pki.EcdsaP256, JwsSamples.Header("ES256", Pki.EcdsaP256));
        var xml = DocumentSigner.Sign(SampleDocuments.Request(), Pki.EcdsaP256);

        var cadesVerdict = verifier.Verify(PayloadSignatureFormat.CadesDetached, CmsSamples.Payload, cms, SignatureLevels.RgsTwoStars);
        var jwsVerdict = verifier.Verify(PayloadSignatureFormat.JwsDetached, JwsSamples.Payload, Encoding.ASCII.GetBytes(jws), SignatureLevels.RgsTwoStars);
        var xmlVerdict = verifier.Verify(PayloadSignatureFormat.Xml, xml, null, SignatureLevels.RgsTwoStars);

        Assert.True(cadesVerdict.IsValid, cadesVerdict.ToString());
        Assert.True(jwsVerdict.IsValid, jwsVerdict.ToString());
        Assert.True(xmlVerdict.IsValid, xmlVerdict.ToString());
        Assert.Equal(xmlVerdict.Signer?.Sha256Fingerprint, cadesVerdict.Signer?.Sha256Fingerprint);
        Assert.Equal(xmlVerdict.Signer?.Sha256Fingerprint, jwsVerdict.Signer?.Sha256Fingerprint);
        Assert.Equal(xmlVerdict.Algorithms?.SignatureMethod, cadesVerdict.Algorithms?.SignatureMethod);
    }

    [Theory]
    [InlineData(PayloadSignatureFormat.CadesDetached)]
    [InlineData(PayloadSignatureFormat.JwsDetached)]
    public void Verify_NoDetachedSignature_IsMissingSignatureUnlessLevelNone(PayloadSignatureFormat format)
    {
        var verifier = Verifier();

        var verdict = verifier.Verify(format, CmsSamples.Payload, null, SignatureLevels.RgsOneStar);
        var noneVerdict = verifier.Verify(format, CmsSamples.Payload, [], SignatureLevels.None);

        Assert.Equal(SignatureReasons.MissingSignature, verdict.Reason);
        Assert.True(noneVerdict.IsValid, noneVerdict.ToString());
    }

    [Fact]
    public void Verify_NonAsciiJws_IsMalformedSignature()
    {
        var verdict = Verifier().Verify(PayloadSignatureFormat.JwsDetached, JwsSamples.Payload, [0xC3, 0xA9, (byte)'.', (byte)'.'], SignatureLevels.RgsOneStar);

        Assert.Equal(SignatureReasons.MalformedSignature, verdict.Reason);
    }

    [Fact]
    public void AddPecSignatureVerification_RegistersEveryVerifier()
    {
        var options = Pki.Options();
        var settings = new Dictionary<string, string?>
        {
            ["Pec:Signatures:Levels:RGS*:Anchors:0:CertificatePath"] = Pki.RgsOneStarCaPath,
            ["Pec:Signatures:CrlPaths:0"] = options.CrlPaths[0],
        };
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        using var provider = new ServiceCollection().AddPecSignatureVerification(configuration).BuildServiceProvider();

        var verifier = provider.GetRequiredService<PayloadSignatureVerifier>();
        var verdict = verifier.Verify(PayloadSignatureFormat.CadesDetached, CmsSamples.Payload, CmsSamples.SignWithDotNet(Pki.Rsa3072), SignatureLevels.RgsOneStar);

        Assert.True(verdict.IsValid, verdict.ToString());
    }
}
