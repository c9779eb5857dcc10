using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Xml;
using Pec.Signing.Tests.Verification.Support;
using Pec.Signing.Verification;

namespace Pec.Signing.Tests.Verification;

/// <summary>
/// Real XAdES enveloped signatures: the EU list of trusted lists and the French trusted list of 2019, verified with
/// their own signer certificate pinned as the anchor, at their signing time (the certificates have expired since).
/// </summary>
public sealed class TrustedListTests
{
    private static readonly XmlSignatureVerifier Verifier = new(new SignaturePolicyOptions(), TimeProvider.System);

    public static TheoryData<string, string, string> ValidLists => new()
    {
        { "eu-lotl.xml", "CN=Patrick Kremer (Signature)", "2019-09-04T09:42:21Z" },
        { "fr-tl.xml", "CN=Yann Tourdot 3310002998ty", "2019-09-04T08:31:23Z" },
    };

    [Theory]
    [MemberData(nameof(ValidLists))]
    public void VerifyWithPinnedAnchor_PublishedList_IsValid(string fileName, string signerName, string signingTime)
    {
        var xml = CorpusFiles.Read(CorpusFiles.TrustedList(fileName));
        using var signer = ReadKeyInfoCertificate(xml);
        var at = DateTimeOffset.Parse(signingTime, System.Globalization.CultureInfo.InvariantCulture);

        var verdict = Verifier.VerifyWithPinnedAnchor(xml, signer, at);

        Assert.True(verdict.IsValid, verdict.ToString());
        Assert.Contains(signerName, verdict.Signer!.Subject, StringComparison.Ordinal);
        Assert.Equal(at, verdict.SigningTime);
        Assert.True(verdict.SignedContent!.CoversWholeDocument);
        Assert.Equal(2, verdict.SignedContent.References.Count);
        Assert.True(verdict.SignedContent.References[1].IsSignedProperties);
        Assert.Equal("TrustServiceStatusList", verdict.SignedContent.Document!.LocalName);
        Assert.Empty(verdict.SignedContent.Document.GetElementsByTagName("Signature", "http://www.w3.org/2000/09/xmldsig#").OfType<XmlNode>());
        Assert.Equal("http://www.w3.org/2001/04/xmldsig-more#rsa-sha256", verdict.Algorithms!.SignatureMethod);
        Assert.Null(verdict.LevelMet);
    }

    [Fact]
    public void VerifyWithPinnedAnchor_AfterExpiry_UsesSigningTime()
    {
        // The signed SigningTime (2019) decides validity, not the verification time: the French list still verifies
        // in 2025, after its signer certificate expired in October 2019.
        var xml = CorpusFiles.Read(CorpusFiles.TrustedList("fr-tl.xml"));
        using var signer = ReadKeyInfoCertificate(xml);

        var verdict = Verifier.VerifyWithPinnedAnchor(xml, signer, new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));

        Assert.True(verdict.IsValid, verdict.ToString());
    }

    [Fact]
    public void VerifyWithPinnedAnchor_OtherCertificate_IsUntrusted()
    {
        var euList = CorpusFiles.Read(CorpusFiles.TrustedList("eu-lotl.xml"));
        using var frenchSigner = ReadKeyInfoCertificate(CorpusFiles.Read(CorpusFiles.TrustedList("fr-tl.xml")));

        var verdict = Verifier.VerifyWithPinnedAnchor(euList, frenchSigner, new DateTimeOffset(2019, 9, 4, 12, 0, 0, TimeSpan.Zero));

        Assert.Equal(SignatureReasons.UntrustedChain, verdict.Reason);
    }

    [Fact]
    public void VerifyWithPinnedAnchor_BrokenList_IsDigestMismatch()
    {
        // eu-lotl-broken-sig.xml is eu-lotl.xml with one signed line removed (the Latvian scheme operator name) and
        // SignedInfo untouched: the SignatureValue still verifies, the URI="" reference digest no longer does.
        var xml = CorpusFiles.Read(CorpusFiles.TrustedList("eu-lotl-broken-sig.xml"));
        using var signer = ReadKeyInfoCertificate(xml);

        var verdict = Verifier.VerifyWithPinnedAnchor(xml, signer, new DateTimeOffset(2019, 9, 4, 12, 0, 0, TimeSpan.Zero));

        Assert.Equal(SignatureReasons.DigestMismatch, verdict.Reason);
        Assert.Contains("URI=\"\"", verdict.Detail, StringComparison.Ordinal);
        Assert.Null(verdict.SignedContent);
        Assert.Null(verdict.Signer);
    }

    [Fact]
    public void VerifyWithPinnedAnchor_UnsignedList_IsMissing()
    {
        var xml = CorpusFiles.Read(CorpusFiles.TrustedList("eu-lotl-no-sig.xml"));
        using var signer = ReadKeyInfoCertificate(CorpusFiles.Read(CorpusFiles.TrustedList("eu-lotl.xml")));

        var verdict = Verifier.VerifyWithPinnedAnchor(xml, signer, new DateTimeOffset(2019, 9, 4, 12, 0, 0, TimeSpan.Zero));

        Assert.Equal(SignatureReasons.MissingSignature, verdict.Reason);
        Assert.Empty(verdict.Signatures);
    }

    [Fact]
    public void Verify_UnsignedListAtLevelNone_IsValid()
    {
        var verdict = Verifier.Verify(CorpusFiles.Read(CorpusFiles.TrustedList("eu-lotl-no-sig.xml")), SignatureLevels.None);

        Assert.True(verdict.IsValid, verdict.ToString());
        Assert.Equal(SignatureLevels.None, verdict.LevelMet);
    }

    private static X509Certificate2 ReadKeyInfoCertificate(byte[] xml)
    {
        var document = SampleDocuments.Parse(xml);
        var signature = document.GetElementsByTagName("Signature", "http://www.w3.org/2000/09/xmldsig#").OfType<XmlElement>().First();
        var certificate = signature.GetElementsByTagName("X509Certificate", "http://www.w3.org/2000/09/xmldsig#").OfType<XmlElement>().First();
        return X509CertificateLoader.LoadCertificate(Convert.FromBase64String(certificate.InnerText));
    }
}
