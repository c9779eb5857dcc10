using System.Security.Cryptography.X509Certificates;
using System.Xml;
using Pec.Signing.Verification.Dsig;
using Pec.Signing.Verification.Trust;
using Pec.Signing.Verification.Xml;

namespace Pec.Signing.Verification;

/// <summary>
/// Decides whether an XML payload carries a signature that meets a signature level. A bad payload gives a verdict
/// with the reason, not an exception. Thread-safe, so one instance serves the whole application.
/// </summary>
/// <remarks>
/// A payload with several signatures is accepted when at least one of them, on its own, verifies, covers the whole
/// document and meets the level; the others are reported in <see cref="SignatureVerdict.Signatures"/> but do not
/// cause a rejection. When none qualifies, the verdict reports the first signature in document order that uses
/// supported algorithms, or <c>unsupported-signature</c> when none does.
/// </remarks>
public sealed class XmlSignatureVerifier
{
    /// <summary>Maximum number of <c>ds:Signature</c> elements in one document; each costs digests and key operations.</summary>
    public const int MaxSignatures = 8;

    private readonly SignaturePolicy _policy;
    private readonly TimeProvider _timeProvider;

    /// <summary>Loads the anchors and CRLs of <paramref name="options"/>.</summary>
    /// <exception cref="InvalidOperationException">A file is missing or unreadable, or a setting is invalid.</exception>
    public XmlSignatureVerifier(SignaturePolicyOptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _policy = SignaturePolicy.Load(options);
        _timeProvider = timeProvider;
        Algorithms.VerificationAlgorithms.EnsureRegistered();
    }

    /// <summary>
    /// Verifies <paramref name="xml"/> against <paramref name="requiredLevel"/> (one of <see cref="SignatureLevels"/>).
    /// Certificates are checked at the time of a verified XAdES SignatureTimeStamp, else at the signed XAdES SigningTime
    /// when there is one, otherwise at <paramref name="at"/>;
    /// CRLs must be current at <paramref name="at"/>, which defaults to now.
    /// For level <c>none</c> the verdict is always valid; signatures present are still examined and reported.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="requiredLevel"/> is not a known level.</exception>
    public SignatureVerdict Verify(byte[] xml, string requiredLevel, DateTimeOffset? at = null)
    {
        ArgumentNullException.ThrowIfNull(xml);
        ArgumentNullException.ThrowIfNull(requiredLevel);
        var rank = SignatureLevels.Rank(requiredLevel);
        if (rank < 0)
        {
            throw new ArgumentException(
                $"'{requiredLevel}' is not a signature level; expected one of {string.Join(", ", SignatureLevels.Ordered)}.", nameof(requiredLevel));
        }

        return VerifyCore(xml, _policy, rank, requiredLevel, at ?? _timeProvider.GetUtcNow());
    }

    /// <inheritdoc cref="Verify(byte[], string, DateTimeOffset?)"/>
    public SignatureVerdict Verify(Stream xml, string requiredLevel, DateTimeOffset? at = null)
    {
        ArgumentNullException.ThrowIfNull(xml);
        using var buffer = new MemoryStream();
        xml.CopyTo(buffer);
        return Verify(buffer.ToArray(), requiredLevel, at);
    }

    /// <summary>
    /// Verifies a detached XML-DSig or XAdES signature over an XML payload. <paramref name="signatureDocument"/> is the
    /// XML of a <c>ds:Signature</c> root element, or of a document containing exactly one <c>ds:Signature</c>. Exactly
    /// one reference names the payload by a bare file name (any name: it resolves to <paramref name="payload"/> in
    /// memory); every other reference is <c>#id</c> inside the signature document. Nothing is read from files or the
    /// network. The other rules and reasons are those of <see cref="Verify(byte[], string, DateTimeOffset?)"/>.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="requiredLevel"/> is not a known level.</exception>
    public SignatureVerdict VerifyDetached(byte[] payload, byte[] signatureDocument, string requiredLevel, DateTimeOffset? at = null)
    {
        ArgumentNullException.ThrowIfNull(payload);
        ArgumentNullException.ThrowIfNull(signatureDocument);
        ArgumentNullException.ThrowIfNull(requiredLevel);
        var rank = SignatureLevels.Rank(requiredLevel);
        if (rank < 0)
        {
            throw new ArgumentException(
                $"'{requiredLevel}' is not a signature level; expected one of {string.Join(", ", SignatureLevels.Ordered)}.", nameof(requiredLevel));
        }

        return VerifyDetachedCore(payload, signatureDocument, rank, requiredLevel, at ?? _timeProvider.GetUtcNow());
    }

    /// <summary>
    /// Verifies <paramref name="xml"/> with <paramref name="anchor"/> as the only trust anchor, instead of the configured
    /// levels: for documents whose signer is known in advance, such as a trusted list checked against the signer
    /// certificate published for it. The anchor may be a CA or the signer certificate itself. The signer needs the
    /// nonRepudiation key usage. Configured CRLs apply where they cover the chain, but are not required.
    /// <see cref="SignatureVerdict.LevelMet"/> and <see cref="SignatureVerdict.RequiredLevel"/> are null.
    /// </summary>
    public SignatureVerdict VerifyWithPinnedAnchor(byte[] xml, X509Certificate2 anchor, DateTimeOffset? at = null)
    {
        ArgumentNullException.ThrowIfNull(xml);
        ArgumentNullException.ThrowIfNull(anchor);
        var verdict = VerifyCore(xml, SignaturePolicy.Pinned(anchor, _policy.Crls, _policy.TsaAnchors), 1, null, at ?? _timeProvider.GetUtcNow());
        foreach (var report in verdict.Signatures)
        {
            report.LevelMet = null;
        }

        return new SignatureVerdict(verdict.Reason, verdict.Detail, null, null, verdict.Signature, verdict.Signatures);
    }

    private SignatureVerdict VerifyDetachedCore(byte[] payloadBytes, byte[] signatureBytes, int requiredRank, string requiredLevel, DateTimeOffset at)
    {
        XmlDocument payloadDocument;
        XmlDocument signatureDocument;
        IdIndex ids;
        try
        {
            // The payload is parsed even when its raw bytes are digested: DTDs stay forbidden, and the verdict's
            // SignedContent.Document is the payload's document element.
            payloadDocument = HardenedXmlLoader.Load(payloadBytes);
            signatureDocument = HardenedXmlLoader.Load(signatureBytes);
            ids = IdIndex.Build(signatureDocument);
        }
        catch (SignatureRejection rejection)
        {
            return new SignatureVerdict(rejection.Reason, rejection.Message, requiredLevel, null, null, []);
        }

        var signatureElements = signatureDocument.GetElementsByTagName("Signature", XmlNamespaces.Dsig).OfType<XmlElement>().ToList();
        if (signatureElements.Count == 0)
        {
            return requiredRank == 0
                ? new SignatureVerdict(null, "The detached signature document contains no ds:Signature, and level none requires no signature.", requiredLevel, SignatureLevels.None, null, [])
                : new SignatureVerdict(SignatureReasons.MissingSignature, "The detached signature document contains no ds:Signature element.", requiredLevel, null, null, []);
        }

        if (signatureElements.Count > 1)
        {
            return new SignatureVerdict(
                SignatureReasons.UnsupportedSignature,
                $"The detached signature document contains {signatureElements.Count} ds:Signature elements; exactly one is expected.",
                requiredLevel, null, null, []);
        }

        var payload = new DetachedPayload(payloadBytes, payloadDocument);
        var inspector = new SignatureInspector(ids, new TrustEvaluator(_policy), requiredRank, at, _policy.TsaAnchors, payload);
        var report = inspector.Inspect(signatureElements[0]);
        if (requiredRank == 0)
        {
            var detail = report.IsValid ? $"Level none requires no signature. {report.Detail}" : "Level none requires no signature; the detached signature is not valid, see Signatures.";
            return new SignatureVerdict(null, detail, requiredLevel, report.IsValid ? report.LevelMet : SignatureLevels.None, report, [report]);
        }

        return new SignatureVerdict(report.Reason, report.Detail, requiredLevel, report.LevelMet, report, [report]);
    }

    // NOTE: the payload is read whole into memory with no size limit of its own; callers bound it (flow types
    // declare a maximum size). Element depth, signatures, references and transforms are bounded here.
    private static SignatureVerdict VerifyCore(byte[] xml, SignaturePolicy policy, int requiredRank, string? requiredLevel, DateTimeOffset at)
    {
        XmlDocument document;
        IdIndex ids;
        try
        {
            document = HardenedXmlLoader.Load(xml);
            ids = IdIndex.Build(document);
        }
        catch (SignatureRejection rejection)
        {
            return new SignatureVerdict(rejection.Reason, rejection.Message, requiredLevel, null, null, []);
        }

        var signatureElements = document.GetElementsByTagName("Signature", XmlNamespaces.Dsig).OfType<XmlElement>().ToList();
        if (signatureElements.Count == 0)
        {
            return requiredRank == 0
                ? new SignatureVerdict(null, "The document is not signed, and level none requires no signature.", requiredLevel, SignatureLevels.None, null, [])
                : new SignatureVerdict(SignatureReasons.MissingSignature, "The document contains no ds:Signature element.", requiredLevel, null, null, []);
        }

        if (signatureElements.Count > MaxSignatures)
        {
            return new SignatureVerdict(
                SignatureReasons.TooManyReferences,
                $"The document contains {signatureElements.Count} ds:Signature elements; at most {MaxSignatures} are examined.",
                requiredLevel, null, null, []);
        }

        var inspector = new SignatureInspector(ids, new TrustEvaluator(policy), requiredRank, at, policy.TsaAnchors, payload: null);
        var reports = signatureElements.Select(inspector.Inspect).ToList();
        var accepted = reports.FirstOrDefault(report => report.IsValid);

        if (requiredRank == 0)
        {
            var detail = accepted is null
                ? $"Level none requires no signature; none of the {reports.Count} signature(s) is valid, see Signatures."
                : $"Level none requires no signature. {accepted.Detail}";
            return new SignatureVerdict(null, detail, requiredLevel, accepted?.LevelMet ?? SignatureLevels.None, accepted ?? reports[0], reports);
        }

        if (accepted is not null)
        {
            var unsigned = FindUnsignedContent(document, signatureElements[reports.IndexOf(accepted)]);
            return unsigned is null
                ? new SignatureVerdict(null, accepted.Detail, requiredLevel, accepted.LevelMet, accepted, reports)
                : new SignatureVerdict(SignatureReasons.Wrapping, unsigned, requiredLevel, null, accepted, reports);
        }

        var reported = reports.FirstOrDefault(report => report.Reason != SignatureReasons.UnsupportedSignature) ?? reports[0];
        return new SignatureVerdict(reported.Reason, reported.Detail, requiredLevel, reported.LevelMet, reported, reports);
    }

    /// <summary>
    /// Finds content the accepted enveloped signature leaves unsigned but a recipient would still
    /// receive: a comment outside the document element (canonicalization drops it), or a
    /// <c>ds:Object</c> of the signature holding anything but XAdES QualifyingProperties (the
    /// enveloped transform removes the whole signature from the digest).
    /// </summary>
    private static string? FindUnsignedContent(XmlDocument document, XmlElement signature)
    {
        if (document.ChildNodes.OfType<XmlComment>().Any())
        {
            return "A comment stands outside the document element; it is not covered by the signature.";
        }

        foreach (var dsObject in signature.ChildNodes.OfType<XmlElement>().Where(e => e.LocalName == "Object" && e.NamespaceURI == XmlNamespaces.Dsig))
        {
            var unexpected = dsObject.ChildNodes.Cast<XmlNode>().Any(node => node switch
            {
                XmlWhitespace or XmlSignificantWhitespace => false,
                XmlElement { LocalName: "QualifyingProperties" } element => !element.NamespaceURI.StartsWith("http://uri.etsi.org/01903", StringComparison.Ordinal),
                _ => true,
            });
            if (unexpected)
            {
                return "A ds:Object of the signature carries content other than XAdES QualifyingProperties; the enveloped signature does not cover it.";
            }
        }

        return null;
    }
}
