using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography.Xml;
using System.Text;
using Pec.Signing.Tests.Support;
using Pec.Signing.Tests.Verification.Support;
using Pec.Signing.Verification;

namespace Pec.Signing.Tests.Verification;

/// <summary>Detached XML-DSig signatures: the signature document names the XML payload by file name.</summary>
public sealed class DetachedXmlSignatureTests
{
    private const string PayloadName = "demande.xml";

    private static readonly TestPolicy Pki = TestPolicy.Shared;
    private static readonly byte[] Payload = Encoding.UTF8.GetBytes(SampleDocuments.RequestXml);

    [Fact]
    public void Detached_RawBytes_ValidAtRgsTwoStars()
    {
        var signature = SignDetached(Payload, [PayloadName], canonicalize: false);

        var verdict = Pki.Verifier().VerifyDetached(Payload, signature, SignatureLevels.RgsTwoStars);

        Assert.True(verdict.IsValid, verdict.ToString());
        Assert.Equal(SignatureLevels.RgsTwoStars, verdict.LevelMet);
        Assert.True(verdict.SignedContent!.CoversWholeDocument);
        Assert.Equal("DemandeActe", verdict.SignedContent.Document!.LocalName);
    }

    [Fact]
    public void Detached_CanonicalizedPayload_Valid()
    {
        var signature = SignDetached(Payload, [PayloadName], canonicalize: true);

        var verdict = Pki.Verifier().VerifyDetached(Payload, signature, SignatureLevels.RgsTwoStars);

        Assert.True(verdict.IsValid, verdict.ToString());
    }

    [Fact]
    public void Detached_ThroughPayloadVerifier_Valid()
    {
        var signature = SignDetached(Payload, [PayloadName], canonicalize: false);
        var verifier = new PayloadSignatureVerifier(Pki.Options(), TimeProvider.System);

        var verdict = verifier.Verify(PayloadSignatureFormat.XmlDetached, Payload, signature, SignatureLevels.RgsTwoStars);
        var unsigned = verifier.Verify(PayloadSignatureFormat.XmlDetached, Payload, null, SignatureLevels.RgsTwoStars);

        Assert.True(verdict.IsValid, verdict.ToString());
        Assert.Equal(SignatureReasons.MissingSignature, unsigned.Reason);
    }

    [Fact]
    public void Detached_SignatureInsideWrapperDocument_Valid()
    {
        var signature = SignDetached(Payload, [PayloadName], canonicalize: false);
        var wrapped = Encoding.UTF8.GetBytes($"<Enveloppe xmlns=\"urn:pec:test:enveloppe\">{Encoding.UTF8.GetString(signature)}</Enveloppe>");

        var verdict = Pki.Verifier().VerifyDetached(Payload, wrapped, SignatureLevels.RgsTwoStars);

        Assert.True(verdict.IsValid, verdict.ToString());
    }

    [Fact]
    public void Detached_AlteredPayload_DigestMismatch()
    {
        var signature = SignDetached(Payload, [PayloadName], canonicalize: false);
        var altered = Encoding.UTF8.GetBytes(SampleDocuments.RequestXml.Replace("Lyon", "Lille", StringComparison.Ordinal));

        var verdict = Pki.Verifier().VerifyDetached(altered, signature, SignatureLevels.RgsTwoStars);

        Assert.Equal(SignatureReasons.DigestMismatch, verdict.Reason);
    }

    [Fact]
    public void Detached_SecondExternalReference_ExternalReference()
    {
        var signature = SignDetached(Payload, [PayloadName, "annexe.xml"], canonicalize: false);

        var verdict = Pki.Verifier().VerifyDetached(Payload, signature, SignatureLevels.RgsTwoStars);

        Assert.Equal(SignatureReasons.ExternalReference, verdict.Reason);
    }

    [Theory]
    [InlineData("dossier/demande.xml")]
    [InlineData("..")]
    [InlineData("file:///etc/passwd")]
    [InlineData("http://127.0.0.1:9/demande.xml")]
    [InlineData("demande%2Exml")]
    [InlineData("")]
    public void Detached_UriNotBareFileName_ExternalReference(string uri)
    {
        var signature = SignDetached(Payload, [uri], canonicalize: false);

        var verdict = Pki.Verifier().VerifyDetached(Payload, signature, SignatureLevels.RgsTwoStars);

        Assert.Equal(SignatureReasons.ExternalReference, verdict.Reason);
    }

    [Fact]
    public void Detached_SignatureDocumentWithDtd_DtdForbidden()
    {
        var signature = SignDetached(Payload, [PayloadName], canonicalize: false);
        var withDtd = Encoding.UTF8.GetBytes("<!DOCTYPE Signature [<!ENTITY x \"y\">]>" + Encoding.UTF8.GetString(signature));

        var verdict = Pki.Verifier().VerifyDetached(Payload, withDtd, SignatureLevels.RgsTwoStars);

        Assert.Equal(SignatureReasons.DtdForbidden, verdict.Reason);
    }

    [Fact]
    public void Detached_PayloadTransformEnveloped_ForbiddenTransform()
    {
        var signature = SignDetached(Payload, [PayloadName], canonicalize: false, extraTransform: new XmlDsigEnvelopedSignatureTransform());

        var verdict = Pki.Verifier().VerifyDetached(Payload, signature, SignatureLevels.RgsTwoStars);

        Assert.Equal(SignatureReasons.ForbiddenTransform, verdict.Reason);
    }

    [Fact]
    public async Task Detached_XmlSec1_AgreesValid()
    {
        var signature = SignDetached(Payload, [PayloadName], canonicalize: false);
        using var temp = new TempDirectory();
        var caPath = VerificationPki.WritePem(Pki.RgsTwoStarsCa, temp.File("ca.pem"));
        await File.WriteAllBytesAsync(temp.File(PayloadName), Payload);
        await File.WriteAllBytesAsync(temp.File("signature.xml"), signature);

        // xmlsec1 1.2.37 classifies a relative URI without scheme as "remote", not "local". It resolves the URI against
        // the signature file's directory, so it reads the payload written beside it.
        var result = await ExternalTool.RunAsync(
            "xmlsec1", temp.Path, "--verify", "--trusted-pem", caPath, "--enabled-reference-uris", "empty,same-doc,local,remote", temp.File("signature.xml"));

        Assert.True(result.ExitCode == 0, result.ToString());
    }

    /// <summary>
    /// Signs <paramref name="payload"/> with SignedXml, one reference per URI. Each reference reads the payload from an
    /// in-memory stream, so SignedXml never dereferences the URI itself.
    /// </summary>
    private static byte[] SignDetached(byte[] payload, string[] uris, bool canonicalize, Transform? extraTransform = null)
    {
        var signer = Pki.RgsTwoStarsSigner;
        using var key = signer.GetRSAPrivateKey()!;
        var signedXml = new SignedXml(new System.Xml.XmlDocument()) { SigningKey = key };
        signedXml.SignedInfo!.CanonicalizationMethod = SignedXml.XmlDsigExcC14NTransformUrl;
        signedXml.SignedInfo.SignatureMethod = SignedXml.XmlDsigRSASHA256Url;
        foreach (var uri in uris)
        {
            var reference = new Reference(new MemoryStream(payload)) { Uri = uri, DigestMethod = SignedXml.XmlDsigSHA256Url };
            if (extraTransform is not null)
            {
                reference.AddTransform(extraTransform);
            }

            if (canonicalize)
            {
                reference.AddTransform(new XmlDsigC14NTransform());
            }

            signedXml.AddReference(reference);
        }

        var keyInfo = new KeyInfo();
        keyInfo.AddClause(new KeyInfoX509Data(signer));
        signedXml.KeyInfo = keyInfo;
        signedXml.ComputeSignature();
        return Encoding.UTF8.GetBytes(signedXml.GetXml().OuterXml);
    }
}
