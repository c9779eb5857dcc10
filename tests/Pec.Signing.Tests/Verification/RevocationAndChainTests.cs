using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Pec.Signing.Tests.Support;
using Pec.Signing.Tests.Verification.Support;
using Pec.Signing.Verification;

namespace Pec.Signing.Tests.Verification;

public sealed class RevocationAndChainTests
{
    private static TestPolicy Pki => TestPolicy.Shared;

    [Fact]
    public async Task Verify_OpenSslCrl_RevokesListedSignerOnly()
    {
        using var temp = new TempDirectory();
        using var revoked = VerificationPki.CreateSigner(Pki.RgsOneStarCa, SignerKey.EcdsaP256, "Agent revoque par openssl");
        using (var caKey = Pki.RgsOneStarCa.GetRSAPrivateKey()!)
        {
            await File.WriteAllTextAsync(temp.File("ca.key"), caKey.ExportPkcs8PrivateKeyPem());
        }

        VerificationPki.WritePem(Pki.RgsOneStarCa, temp.File("ca.pem"));
        VerificationPki.WritePem(revoked, temp.File("revoked.pem"));
        await File.WriteAllTextAsync(temp.File("index.txt"), string.Empty);
        await File.WriteAllTextAsync(temp.File("crlnumber"), "01\n");
        await File.WriteAllTextAsync(
            temp.File("ca.cnf"),
            "[ca]\ndefault_ca = pec\n[pec]\ndir = .\ndatabase = $dir/index.txt\ncrlnumber = $dir/crlnumber\n" +
            "certificate = $dir/ca.pem\nprivate_key = $dir/ca.key\ndefault_md = sha256\ndefault_crl_days = 7\n");
        await ExternalTool.OpenSslAsync(temp.Path, "ca", "-config", "ca.cnf", "-revoke", "revoked.pem", "-crl_reason", "keyCompromise");
        await ExternalTool.OpenSslAsync(temp.Path, "ca", "-config", "ca.cnf", "-gencrl", "-out", "openssl.crl.pem");
        var verifier = Pki.Verifier(o =>
        {
            o.CrlPaths.Clear();
            o.CrlPaths.Add(temp.File("openssl.crl.pem"));
        });

        var revokedVerdict = verifier.Verify(DocumentSigner.Sign(SampleDocuments.Request(), revoked), SignatureLevels.RgsOneStar);
        var goodVerdict = verifier.Verify(DocumentSigner.Sign(SampleDocuments.Request(), Pki.EcdsaP256), SignatureLevels.RgsOneStar);

        Assert.Equal(SignatureReasons.CertificateRevoked, revokedVerdict.Reason);
        Assert.True(goodVerdict.IsValid, goodVerdict.ToString());
    }

    [Fact]
    public void Verify_StaleCrl_IsUntrustedChain()
    {
        using var temp = new TempDirectory();
        var stale = temp.File("stale.crl");
        File.WriteAllBytes(stale, VerificationPki.CreateCrl(Pki.RgsOneStarCa, [], VerificationPki.Now.AddDays(-10), VerificationPki.Now.AddDays(-3)));
        var verifier = Pki.Verifier(o =>
        {
            o.CrlPaths.Clear();
            o.CrlPaths.Add(stale);
        });

        var verdict = verifier.Verify(DocumentSigner.Sign(SampleDocuments.Request(), Pki.EcdsaP256), SignatureLevels.RgsOneStar);

        Assert.Equal(SignatureReasons.UntrustedChain, verdict.Reason);
        Assert.Contains("CRL", verdict.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_CrlFromLookAlikeCa_IsIgnored()
    {
        // Same issuer name as the real CA, other key: it can neither revoke nor vouch for the real CA's certificates.
        using var temp = new TempDirectory();
        var forged = temp.File("forged.crl.pem");
        File.WriteAllText(forged, PemEncoding.WriteString("X509 CRL", VerificationPki.CreateCrl(Pki.AttackerCa, [Pki.EcdsaP256])));
        var withRealCrl = Pki.Verifier(o => o.CrlPaths.Add(forged));
        var forgedOnly = Pki.Verifier(o =>
        {
            o.CrlPaths.Clear();
            o.CrlPaths.Add(forged);
        });
        var xml = DocumentSigner.Sign(SampleDocuments.Request(), Pki.EcdsaP256);

        Assert.True(withRealCrl.Verify(xml, SignatureLevels.RgsOneStar).IsValid);
        Assert.Equal(SignatureReasons.UntrustedChain, forgedOnly.Verify(xml, SignatureLevels.RgsOneStar).Reason);
    }

    [Fact]
    public void Verify_RevocationCheckNotRequired_AcceptsWithoutCrl()
    {
        var verifier = Pki.Verifier(o =>
        {
            o.CrlPaths.Clear();
            o.Levels[SignatureLevels.RgsOneStar].RequireRevocationCheck = false;
        });

        var verdict = verifier.Verify(DocumentSigner.Sign(SampleDocuments.Request(), Pki.EcdsaP256), SignatureLevels.RgsOneStar);

        Assert.True(verdict.IsValid, verdict.ToString());
    }

    [Fact]
    public async Task Verify_IntermediateCa_AcceptedByRootOrIntermediate()
    {
        using var temp = new TempDirectory();
        using var root = VerificationPki.CreateCa("PEC Test racine");
        using var intermediate = VerificationPki.CreateCa("PEC Test AC intermediaire", root);
        using var signer = VerificationPki.CreateSigner(intermediate, SignerKey.EcdsaP256, "Agent de l'AC intermediaire");
        File.WriteAllBytes(temp.File("root.crl"), VerificationPki.CreateCrl(root, []));
        File.WriteAllBytes(temp.File("intermediate.crl"), VerificationPki.CreateCrl(intermediate, []));
        var rootAnchor = VerifierWithAnchor(VerificationPki.WritePem(root, temp.File("root.pem")), temp.File("root.crl"), temp.File("intermediate.crl"));
        var intermediateAnchor = VerifierWithAnchor(VerificationPki.WritePem(intermediate, temp.File("intermediate.pem")), temp.File("intermediate.crl"));
        var withChain = DocumentSigner.Sign(SampleDocuments.Request(), signer, new() { KeyInfoCertificates = [signer, intermediate] });
        var signerOnly = DocumentSigner.Sign(SampleDocuments.Request(), signer);

        var rootVerdict = rootAnchor.Verify(withChain, SignatureLevels.RgsOneStar);
        var intermediateVerdict = intermediateAnchor.Verify(signerOnly, SignatureLevels.RgsOneStar);
        var missingIntermediate = rootAnchor.Verify(signerOnly, SignatureLevels.RgsOneStar);

        Assert.True(rootVerdict.IsValid, rootVerdict.ToString());
        Assert.True(intermediateVerdict.IsValid, intermediateVerdict.ToString());
        Assert.Equal(SignatureReasons.UntrustedChain, missingIntermediate.Reason);
        var xmlsec = await XmlSecVerifier.VerifyAsync(root, withChain);
        Assert.True(xmlsec.ExitCode == 0, xmlsec.ToString());
    }

    [Fact]
    public void Verify_IntermediateCrlRevokesTheIntermediate_IsRevoked()
    {
        using var temp = new TempDirectory();
        using var root = VerificationPki.CreateCa("PEC Test racine revoquante");
        using var intermediate = VerificationPki.CreateCa("PEC Test AC intermediaire revoquee", root);
        using var signer = VerificationPki.CreateSigner(intermediate, SignerKey.EcdsaP256);
        File.WriteAllBytes(temp.File("root.crl"), VerificationPki.CreateCrl(root, [intermediate]));
        File.WriteAllBytes(temp.File("intermediate.crl"), VerificationPki.CreateCrl(intermediate, []));
        var verifier = VerifierWithAnchor(VerificationPki.WritePem(root, temp.File("root.pem")), temp.File("root.crl"), temp.File("intermediate.crl"));

        var verdict = verifier.Verify(
            DocumentSigner.Sign(SampleDocuments.Request(), signer, new() { KeyInfoCertificates = [signer, intermediate] }), SignatureLevels.RgsOneStar);

        Assert.Equal(SignatureReasons.CertificateRevoked, verdict.Reason);
        Assert.Contains("revoquee", verdict.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_SignerCertificateAsConfiguredAnchor_IsAccepted()
    {
        using var temp = new TempDirectory();
        var verifier = VerifierWithAnchor(VerificationPki.WritePem(Pki.EcdsaP256, temp.File("pinned.pem")));

        var verdict = verifier.Verify(DocumentSigner.Sign(SampleDocuments.Request(), Pki.EcdsaP256), SignatureLevels.RgsOneStar);

        Assert.True(verdict.IsValid, verdict.ToString());
    }

    [Fact]
    public void VerifyWithPinnedAnchor_Ca_AcceptsOwnSignersOnly()
    {
        var verifier = Pki.Verifier();

        var own = verifier.VerifyWithPinnedAnchor(DocumentSigner.Sign(SampleDocuments.Request(), Pki.EcdsaP256), Pki.RgsOneStarCa);
        var other = verifier.VerifyWithPinnedAnchor(DocumentSigner.Sign(SampleDocuments.Request(), Pki.RgsTwoStarsSigner), Pki.RgsOneStarCa);

        Assert.True(own.IsValid, own.ToString());
        Assert.Null(own.LevelMet);
        Assert.Null(own.RequiredLevel);
        Assert.Equal(SignatureReasons.UntrustedChain, other.Reason);
    }

    private static XmlSignatureVerifier VerifierWithAnchor(string anchorPath, params string[] crlPaths)
    {
        var options = new SignaturePolicyOptions();
        options.Levels[SignatureLevels.RgsOneStar] = TestPolicy.Level(anchorPath);
        foreach (var path in crlPaths)
        {
            options.CrlPaths.Add(path);
        }

        return new XmlSignatureVerifier(options, TimeProvider.System);
    }
}
