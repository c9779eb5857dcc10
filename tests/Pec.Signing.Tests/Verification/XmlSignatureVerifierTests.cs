using System.Security.Cryptography.Xml;
using System.Text;
using System.Xml;
using Pec.Signing.Tests.Verification.Support;
using Pec.Signing.Verification;

namespace Pec.Signing.Tests.Verification;

public sealed class XmlSignatureVerifierTests
{
    private static TestPolicy Pki => TestPolicy.Shared;

    [Fact]
    public void Verify_ValidSignature_ReportsSignerAlgorithmsAndContent()
    {
        var xml = DocumentSigner.Sign(SampleDocuments.Request(), Pki.EcdsaP256);

        var verdict = Pki.Verifier().Verify(xml, SignatureLevels.RgsOneStar);

        Assert.True(verdict.IsValid, verdict.ToString());
        Assert.Equal(SignatureLevels.RgsOneStar, verdict.LevelMet);
        Assert.Equal(SignatureLevels.RgsOneStar, verdict.RequiredLevel);
        Assert.Equal(Pki.EcdsaP256.Subject, verdict.Signer!.Subject);
        Assert.Equal(Pki.EcdsaP256.Issuer, verdict.Signer.Issuer);
        Assert.Equal(Convert.ToHexStringLower(Pki.EcdsaP256.SerialNumberBytes.Span), verdict.Signer.SerialNumberHex);
        Assert.Equal(Pki.EcdsaP256.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256).ToLowerInvariant(), verdict.Signer.Sha256Fingerprint);
        Assert.Equal("http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256", verdict.Algorithms!.SignatureMethod);
        Assert.Equal([SignedXml.XmlDsigSHA256Url], verdict.Algorithms.DigestMethods);
        Assert.Null(verdict.SigningTime);

        var reference = Assert.Single(verdict.SignedContent!.References);
        Assert.True(reference.IsWholeDocument);
        Assert.Equal(string.Empty, reference.Uri);
        var canonical = Encoding.UTF8.GetString(reference.DigestedBytes.Span);
        Assert.StartsWith("<DemandeActe xmlns=\"urn:pec:test:etat-civil\">", canonical, StringComparison.Ordinal);
        Assert.DoesNotContain("Signature", canonical, StringComparison.Ordinal);
        Assert.Equal("Lyon", verdict.SignedContent.Document!.GetElementsByTagName("Commune", SampleDocuments.Namespace)[0]!.InnerText);
    }

    [Fact]
    public void Verify_Stream_GivesTheSameVerdictAsBytes()
    {
        var xml = DocumentSigner.Sign(SampleDocuments.Request(), Pki.Rsa3072);
        using var stream = new MemoryStream(xml);

        var verdict = Pki.Verifier().Verify(stream, SignatureLevels.RgsOneStar);

        Assert.True(verdict.IsValid, verdict.ToString());
    }

    [Fact]
    public void Verify_UnknownLevel_Throws()
    {
        var exception = Assert.Throws<ArgumentException>(() => Pki.Verifier().Verify([], "RGS****"));

        Assert.Contains("RGS****", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_LevelNoneBrokenSignature_IsValid()
    {
        var xml = XmlEdits.Edit(
            DocumentSigner.Sign(SampleDocuments.Request(), Pki.Rsa3072), d => SampleDocuments.Element(d, "Commune").InnerText = "Nice");

        var verdict = Pki.Verifier().Verify(xml, SignatureLevels.None);

        Assert.True(verdict.IsValid, verdict.ToString());
        Assert.Equal(SignatureLevels.None, verdict.LevelMet);
        Assert.Equal(SignatureReasons.DigestMismatch, Assert.Single(verdict.Signatures).Reason);
    }

    [Fact]
    public async Task Verify_ExpiredSignerEarlierSigningTime_IsValid()
    {
        // Rule: certificates must be valid at the signed XAdES SigningTime when there is one.
        var signingTime = Pki.Expired.NotAfter.ToUniversalTime().AddDays(-2);
        var xml = DocumentSigner.Sign(SampleDocuments.Request(), Pki.Expired, new() { Xades = true, SigningTime = signingTime });

        var verdict = Pki.Verifier().Verify(xml, SignatureLevels.RgsOneStar);

        Assert.True(verdict.IsValid, verdict.ToString());
        Assert.Equal(new DateTimeOffset(signingTime), verdict.SigningTime);
        Assert.Equal(2, verdict.SignedContent!.References.Count);
        Assert.True(verdict.SignedContent.References[1].IsSignedProperties);
        var xmlsec = await XmlSecVerifier.VerifyAsync(Pki.RgsOneStarCa, xml, signingTime);
        Assert.True(xmlsec.ExitCode == 0, xmlsec.ToString());
    }

    [Fact]
    public void Verify_RevokedSignerEarlierSigningTime_IsRevoked()
    {
        // SigningTime is the signer's own claim: it cannot move a signature before the revocation.
        var beforeRevocation = new DateTimeOffset(Pki.Revoked.NotBefore.ToUniversalTime()).AddMinutes(1);
        var xml = DocumentSigner.Sign(SampleDocuments.Request(), Pki.Revoked, new() { Xades = true, SigningTime = beforeRevocation });

        var verdict = Pki.Verifier().Verify(xml, SignatureLevels.RgsOneStar);

        Assert.Equal(SignatureReasons.CertificateRevoked, verdict.Reason);
    }

    [Fact]
    public void Verify_CommentWithCommentsTransform_IsWrapping()
    {
        // With URI="" the comments are removed before the first transform, so #WithComments cannot make them signed.
        var xml = DocumentSigner.Sign(SampleDocuments.Request(), Pki.Rsa3072, new()
        {
            Transforms = () => [new XmlDsigEnvelopedSignatureTransform(), new XmlDsigExcC14NWithCommentsTransform()],
        });
        var withComment = XmlEdits.Edit(xml, d => SampleDocuments.Element(d, "Commune").AppendChild(d.CreateComment("ajout")));

        Assert.True(Pki.Verifier().Verify(xml, SignatureLevels.RgsOneStar).IsValid);
        Assert.Equal(SignatureReasons.Wrapping, Pki.Verifier().Verify(withComment, SignatureLevels.RgsOneStar).Reason);
    }

    [Fact]
    public void Verify_CountersignedDocument_AcceptsTheLastSignature()
    {
        // Two enveloped URI="" signatures cannot both stay valid: the second one is added inside the content the
        // first one signed. The second signer signs the document with the first signature in it.
        var first = DocumentSigner.Sign(SampleDocuments.Request(), Pki.EcdsaP256, new() { SignatureId = "signature-a" });
        var xml = DocumentSigner.Sign(SampleDocuments.Parse(first), Pki.Rsa3072, new() { SignatureId = "signature-b" });

        var verdict = Pki.Verifier().Verify(xml, SignatureLevels.RgsOneStar);

        Assert.Equal(2, verdict.Signatures.Count);
        Assert.Equal(SignatureReasons.DigestMismatch, verdict.Signatures[0].Reason);
        Assert.True(verdict.Signatures[1].IsValid, verdict.Signatures[1].Detail);
        Assert.True(verdict.IsValid, verdict.ToString());
        Assert.Same(verdict.Signatures[1], verdict.Signature);
        Assert.Equal(Pki.Rsa3072.Subject, verdict.Signer!.Subject);
    }

    [Fact]
    public void Verify_UnsupportedThenExpired_ReportsExpired()
    {
        var unsupported = XmlEdits.Edit(
            DocumentSigner.Sign(SampleDocuments.Request(), Pki.Rsa3072, new() { SignatureId = "signature-a" }),
            d => XmlEdits.Dsig(d, "SignatureMethod").SetAttribute("Algorithm", "urn:example:signature:unknown"));
        var xml = DocumentSigner.Sign(SampleDocuments.Parse(unsupported), Pki.Expired, new() { SignatureId = "signature-b" });

        var verdict = Pki.Verifier().Verify(xml, SignatureLevels.RgsOneStar);

        Assert.Equal(SignatureReasons.UnsupportedSignature, verdict.Signatures[0].Reason);
        Assert.Equal(SignatureReasons.CertificateExpired, verdict.Reason);
        Assert.Same(verdict.Signatures[1], verdict.Signature);
    }

    [Fact]
    public void Verify_OnlyUnsupportedSignatures_IsUnsupported()
    {
        var first = DocumentSigner.Sign(SampleDocuments.Request(), Pki.Rsa3072, new() { SignatureId = "signature-a" });
        var both = DocumentSigner.Sign(SampleDocuments.Parse(first), Pki.Rsa3072, new() { SignatureId = "signature-b" });
        var xml = XmlEdits.Edit(both, d =>
        {
            XmlEdits.Dsig(d, "SignatureMethod", 0).SetAttribute("Algorithm", "urn:example:signature:unknown");
            XmlEdits.Dsig(d, "SignatureMethod", 1).SetAttribute("Algorithm", "urn:example:signature:other");
        });

        var verdict = Pki.Verifier().Verify(xml, SignatureLevels.RgsOneStar);

        Assert.Equal(SignatureReasons.UnsupportedSignature, verdict.Reason);
        Assert.Equal(2, verdict.Signatures.Count);
    }

    [Fact]
    public void Verify_NineSignatures_IsTooManyReferences()
    {
        var signed = SampleDocuments.Parse(DocumentSigner.Sign(SampleDocuments.Request(), Pki.EcdsaP256, new() { SignatureId = null }));
        var signature = XmlEdits.Dsig(signed, "Signature");
        for (var i = 0; i < 8; i++)
        {
            signed.DocumentElement!.AppendChild(signature.CloneNode(deep: true));
        }

        var verdict = Pki.Verifier().Verify(SampleDocuments.Save(signed), SignatureLevels.RgsOneStar);

        Assert.Equal(SignatureReasons.TooManyReferences, verdict.Reason);
    }

    [Fact]
    public void Verify_SignedPropertiesOutsideTheSignature_IsWrapping()
    {
        var xml = XmlEdits.Edit(
            DocumentSigner.Sign(SampleDocuments.Request(), Pki.Rsa3072, new() { Xades = true, SigningTime = VerificationPki.Now }),
            d =>
            {
                // Moved next to the signed content, still carrying its Id: the reference resolves but out of place.
                var properties = d.GetElementsByTagName("QualifyingProperties", DocumentSigner.XadesNamespace)[0]!;
                d.DocumentElement!.InsertBefore(properties, d.DocumentElement.FirstChild);
            });

        var verdict = Pki.Verifier().Verify(xml, SignatureLevels.RgsOneStar);

        Assert.Equal(SignatureReasons.Wrapping, verdict.Reason);
    }

    [Fact]
    public void Verify_SignatureFromAnotherDocument_IsDigestMismatch()
    {
        var other = XmlEdits.Edit(
            DocumentSigner.Sign(SampleDocuments.Request(), Pki.Rsa3072), d => d.DocumentElement!.SetAttribute("Version", "2"));

        var verdict = Pki.Verifier().Verify(other, SignatureLevels.RgsOneStar);

        Assert.Equal(SignatureReasons.DigestMismatch, verdict.Reason);
        Assert.Null(verdict.SignedContent);
    }
}
