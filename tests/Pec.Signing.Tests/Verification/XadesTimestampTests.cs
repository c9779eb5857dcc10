using System.Security.Cryptography.Xml;
using System.Xml;
using Pec.Signing.Tests.Support;
using Pec.Signing.Tests.Verification.Support;
using Pec.Signing.Timestamping;
using Pec.Signing.Verification;
using Pec.Signing.Verification.Dsig;

namespace Pec.Signing.Tests.Verification;

/// <summary>XAdES B-T: SignatureTimeStamp tokens from the development TSA, running on 127.0.0.1.</summary>
public sealed class XadesTimestampTests(TsaProcess tsa) : IClassFixture<TsaProcess>
{
    private static readonly TestPolicy Pki = TestPolicy.Shared;

    [Fact]
    public async Task Timestamp_ExclusiveC14N_ValidWithTime()
    {
        var signed = Sign(Pki.EcdsaP256);
        var stamped = await AddTimestampAsync(signed, DsigAlgorithms.ExclusiveC14N);

        var verdict = Verifier(tsa.CaPath).Verify(stamped, SignatureLevels.RgsOneStar);

        Assert.True(verdict.IsValid, verdict.ToString());
        Assert.NotNull(verdict.TimestampTime);
        Assert.InRange(verdict.TimestampTime!.Value, VerificationPki.Now.AddMinutes(-5), VerificationPki.Now.AddMinutes(1));
        Assert.Equal(verdict.TimestampTime, verdict.Signature!.TimestampTime);
    }

    [Fact]
    public async Task Timestamp_DefaultInclusiveC14N_Valid()
    {
        var stamped = await AddTimestampAsync(Sign(Pki.EcdsaP256), canonicalization: null);

        var verdict = Verifier(tsa.CaPath).Verify(stamped, SignatureLevels.RgsOneStar);

        Assert.True(verdict.IsValid, verdict.ToString());
        Assert.NotNull(verdict.TimestampTime);
    }

    [Fact]
    public async Task Timestamp_InclusiveDeclaredButExclusiveStamped_Invalid()
    {
        // The declared canonicalization decides the time-stamped bytes: exclusive bytes do not match inclusive C14N
        // here, because ds:Signature declares a namespace that inclusive C14N renders (see AddTimestampAsync).
        var stamped = await AddTimestampAsync(Sign(Pki.EcdsaP256), DsigAlgorithms.InclusiveC14N, stampedCanonicalization: DsigAlgorithms.ExclusiveC14N);

        var verdict = Verifier(tsa.CaPath).Verify(stamped, SignatureLevels.RgsOneStar);

        Assert.Equal(SignatureReasons.TimestampInvalid, verdict.Reason);
    }

    [Fact]
    public async Task Timestamp_OverOtherBytes_Invalid()
    {
        var stamped = await AddTimestampAsync(Sign(Pki.EcdsaP256), DsigAlgorithms.ExclusiveC14N, otherBytes: "autre contenu"u8.ToArray());

        var verdict = Verifier(tsa.CaPath).Verify(stamped, SignatureLevels.RgsOneStar);

        Assert.Equal(SignatureReasons.TimestampInvalid, verdict.Reason);
        Assert.Contains("does not cover", verdict.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Timestamp_UntrustedTsa_Invalid()
    {
        var stamped = await AddTimestampAsync(Sign(Pki.EcdsaP256), DsigAlgorithms.ExclusiveC14N);

        var verdict = Verifier(Pki.RgsOneStarCaPath).Verify(stamped, SignatureLevels.RgsOneStar);

        Assert.Equal(SignatureReasons.TimestampInvalid, verdict.Reason);
    }

    [Fact]
    public async Task Timestamp_DamagedToken_Invalid()
    {
        var stamped = await AddTimestampAsync(Sign(Pki.EcdsaP256), DsigAlgorithms.ExclusiveC14N);
        var document = SampleDocuments.Parse(stamped);
        var encapsulated = SampleDocuments.Element(document, "EncapsulatedTimeStamp", DocumentSigner.XadesNamespace);
        encapsulated.InnerText = Convert.ToBase64String("pas un jeton"u8.ToArray());

        var verdict = Verifier(tsa.CaPath).Verify(SampleDocuments.Save(document), SignatureLevels.RgsOneStar);

        Assert.Equal(SignatureReasons.TimestampInvalid, verdict.Reason);
    }

    [Fact]
    public async Task Timestamp_NoTsaAnchors_IgnoredAsBaseline()
    {
        var stamped = await AddTimestampAsync(Sign(Pki.EcdsaP256), DsigAlgorithms.ExclusiveC14N, otherBytes: "autre contenu"u8.ToArray());

        var verdict = Pki.Verifier().Verify(stamped, SignatureLevels.RgsOneStar);

        Assert.True(verdict.IsValid, verdict.ToString());
        Assert.Null(verdict.TimestampTime);
    }

    [Fact]
    public async Task Timestamp_ExpiredSignerStampedInValidity_Valid()
    {
        // Valid now, expired one day from now; the document is verified two days from now, with no SigningTime.
        var signer = VerificationPki.CreateSigner(
            Pki.RgsOneStarCa, SignerKey.EcdsaP256, "Agent horodate", notBefore: VerificationPki.Now.AddDays(-1), notAfter: VerificationPki.Now.AddDays(1));
        var stamped = await AddTimestampAsync(Sign(signer), DsigAlgorithms.ExclusiveC14N);
        var later = VerificationPki.Now.AddDays(2);

        var withTimestamp = Verifier(tsa.CaPath).Verify(stamped, SignatureLevels.RgsOneStar, later);
        var withoutTimestamp = Pki.Verifier().Verify(stamped, SignatureLevels.RgsOneStar, later);

        Assert.True(withTimestamp.IsValid, withTimestamp.ToString());
        Assert.NotNull(withTimestamp.TimestampTime);
        Assert.Equal(SignatureReasons.CertificateExpired, withoutTimestamp.Reason);
    }

    [Fact]
    public void Options_MissingTsaAnchorFile_FailsAtStart()
    {
        var options = Pki.Options(o => o.TsaAnchorPaths.Add(Path.Combine(Pki.Directory, "absent-tsa.pem")));

        var error = Assert.Throws<InvalidOperationException>(() => new XmlSignatureVerifier(options, TimeProvider.System));

        Assert.Contains("TsaAnchorPaths:0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reasons_TimestampInvalid_Listed()
    {
        Assert.Contains(SignatureReasons.TimestampInvalid, SignatureReasons.All);
    }

    private static byte[] Sign(System.Security.Cryptography.X509Certificates.X509Certificate2 signer) =>
        DocumentSigner.Sign(SampleDocuments.Request(), signer, new SigningProfile { Xades = true });

    private static XmlSignatureVerifier Verifier(string tsaAnchorPath) =>
        Pki.Verifier(options => options.TsaAnchorPaths.Add(tsaAnchorPath));

    /// <summary>
    /// Time-stamps the signature value and adds xades:UnsignedProperties with the token. <paramref name="canonicalization"/>
    /// is written as the CanonicalizationMethod (null writes none: inclusive C14N); <paramref name="stampedCanonicalization"/>
    /// is what is actually time-stamped, and <paramref name="otherBytes"/> replaces it altogether.
    /// </summary>
    private async Task<byte[]> AddTimestampAsync(
        byte[] signed, string? canonicalization, string? stampedCanonicalization = null, byte[]? otherBytes = null)
    {
        var document = SampleDocuments.Parse(signed);

        // An unused namespace declaration in scope: inclusive C14N renders it and exclusive C14N does not, so the two
        // canonical forms of ds:SignatureValue differ. No signed content changes, because exclusive C14N of SignedInfo drops it.
        SampleDocuments.DsigElement(document, "Signature").SetAttribute("xmlns:extra", "urn:pec:test:extra");
        var signatureValue = SampleDocuments.DsigElement(document, "SignatureValue");
        var stamped = otherBytes ?? Canonicalize(signatureValue, stampedCanonicalization ?? canonicalization ?? DsigAlgorithms.InclusiveC14N);

        using var httpClient = new HttpClient();
        var client = new TimestampClient(httpClient, new TimestampingOptions { Url = tsa.Url.ToString(), TrustedTsaCertificatePath = tsa.CaPath });
        var token = await client.RequestAsync(stamped);

        const string xades = DocumentSigner.XadesNamespace;
        var qualifying = SampleDocuments.Element(document, "QualifyingProperties", xades);
        var unsigned = Append(qualifying, "UnsignedProperties", xades);
        var properties = Append(unsigned, "UnsignedSignatureProperties", xades);
        var timestamp = Append(properties, "SignatureTimeStamp", xades);
        if (canonicalization is not null)
        {
            Append(timestamp, "CanonicalizationMethod", SignedXml.XmlDsigNamespaceUrl, "ds").SetAttribute("Algorithm", canonicalization);
        }

        Append(timestamp, "EncapsulatedTimeStamp", xades).InnerText = Convert.ToBase64String(token.AsSignedCms().Encode());
        return SampleDocuments.Save(document);
    }

    /// <summary>
    /// Canonicalizes ds:SignatureValue in its document context with .NET's transforms over an XPath node-set, which
    /// is how XML-DSig defines the canonical form of an element inside a document (independently of the verifier).
    /// </summary>
    private static byte[] Canonicalize(XmlElement signatureValue, string algorithm)
    {
        var nodes = signatureValue.SelectNodes("descendant-or-self::node() | descendant-or-self::*/namespace::* | descendant-or-self::*/@*")!;
        Transform transform = algorithm == DsigAlgorithms.ExclusiveC14N ? new XmlDsigExcC14NTransform() : new XmlDsigC14NTransform();
        transform.LoadInput(nodes);
        using var output = (Stream)transform.GetOutput(typeof(Stream));
        using var buffer = new MemoryStream();
        output.CopyTo(buffer);
        return buffer.ToArray();
    }

    private static XmlElement Append(XmlElement parent, string localName, string namespaceUri, string prefix = "xades") =>
        (XmlElement)parent.AppendChild(parent.OwnerDocument.CreateElement(prefix, localName, namespaceUri))!;
}
