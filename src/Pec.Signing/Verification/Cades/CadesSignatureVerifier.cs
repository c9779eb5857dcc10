using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using Pec.Signing.Verification.Trust;

namespace Pec.Signing.Verification.Cades;

/// <summary>
/// Decides whether a detached CMS (CAdES) signature over a binary payload meets a signature level, with the trust,
/// revocation, key and algorithm rules of <see cref="XmlSignatureVerifier"/> and the same reason codes. A bad
/// signature gives a verdict with the reason, not an exception. Thread-safe, so one instance serves the whole application.
/// </summary>
/// <remarks>
/// Several SignerInfos are handled like several XML signatures: the payload is accepted when one of them, on its own,
/// verifies and meets the level. Unsigned attributes (timestamps, countersignatures) are not verified.
/// </remarks>
public sealed class CadesSignatureVerifier
{
    /// <summary>Maximum size of the encoded CMS. Larger blobs are rejected as <c>malformed-signature</c> before decoding.</summary>
    public const int MaxSignatureBytes = 1024 * 1024;

    /// <summary>Maximum number of SignerInfos, because each costs a digest, a key operation and a chain build.</summary>
    public const int MaxSigners = XmlSignatureVerifier.MaxSignatures;

    /// <summary>Maximum number of certificates in the CMS, as for XML KeyInfo.</summary>
    public const int MaxCertificates = 16;

    private readonly SignaturePolicy _policy;
    private readonly TimeProvider _timeProvider;

    /// <summary>Loads the anchors and CRLs of <paramref name="options"/>.</summary>
    /// <exception cref="InvalidOperationException">A file is missing or unreadable, or a setting is invalid.</exception>
    public CadesSignatureVerifier(SignaturePolicyOptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _policy = SignaturePolicy.Load(options);
        _timeProvider = timeProvider;
    }

    /// <summary>
    /// Verifies the detached CMS <paramref name="cmsSignature"/> (DER) over <paramref name="content"/> against
    /// <paramref name="requiredLevel"/> (one of <see cref="SignatureLevels"/>). Certificates are checked at the signed
    /// signingTime when there is one, otherwise at <paramref name="at"/>. CRLs must be current at <paramref name="at"/>,
    /// which defaults to now. For level <c>none</c> the verdict is always valid, but signers present are still examined.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="requiredLevel"/> is not a known level.</exception>
    public SignatureVerdict VerifyDetached(byte[] content, byte[] cmsSignature, string requiredLevel, DateTimeOffset? at = null)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(cmsSignature);
        ArgumentNullException.ThrowIfNull(requiredLevel);
        var rank = SignatureLevels.Rank(requiredLevel);
        if (rank < 0)
        {
            throw new ArgumentException(
                $"'{requiredLevel}' is not a signature level; expected one of {string.Join(", ", SignatureLevels.Ordered)}.", nameof(requiredLevel));
        }

        return VerifyCore(content, cmsSignature, rank, requiredLevel, at ?? _timeProvider.GetUtcNow());
    }

    /// <inheritdoc cref="VerifyDetached(byte[], byte[], string, DateTimeOffset?)"/>
    /// <remarks>NOTE: the content is read whole into memory, because SignedCms takes a byte array. Callers bound its size.</remarks>
    public SignatureVerdict VerifyDetached(Stream content, byte[] cmsSignature, string requiredLevel, DateTimeOffset? at = null)
    {
        ArgumentNullException.ThrowIfNull(content);
        using var buffer = new MemoryStream();
        content.CopyTo(buffer);
        return VerifyDetached(buffer.ToArray(), cmsSignature, requiredLevel, at);
    }

    private SignatureVerdict VerifyCore(byte[] content, byte[] cmsSignature, int requiredRank, string requiredLevel, DateTimeOffset at)
    {
        if (cmsSignature.Length > MaxSignatureBytes)
        {
            return Rejected(
                SignatureReasons.MalformedSignature,
                $"The CMS signature is {cmsSignature.Length} bytes; at most {MaxSignatureBytes} are accepted.",
                requiredLevel);
        }

        string contentType;
        bool hasContent;
        try
        {
            (contentType, hasContent) = CmsEnvelope.ReadEncapsulatedContentInfo(cmsSignature);
        }
        catch (SignatureRejection rejection)
        {
            return Rejected(rejection.Reason, rejection.Message, requiredLevel);
        }

        if (contentType != SignerInfoInspector.IdData)
        {
            return Rejected(
                SignatureReasons.UnsupportedSignature,
                $"The CMS encapsulated content type is {contentType}; only id-data ({SignerInfoInspector.IdData}) is accepted.",
                requiredLevel);
        }

        if (hasContent)
        {
            return Rejected(
                SignatureReasons.UnsupportedSignature,
                "The CMS embeds its content; PEC verifies detached signatures against the transmitted payload only.",
                requiredLevel);
        }

        // Embedded content was rejected above, so SignedCms verifies against the caller's content.
        var signedCms = new SignedCms(new ContentInfo(new Oid(SignerInfoInspector.IdData), content), detached: true);
        try
        {
            signedCms.Decode(cmsSignature);
        }
        catch (CryptographicException ex)
        {
            return Rejected(SignatureReasons.MalformedSignature, $"The signature is not a CMS SignedData: {ex.Message}", requiredLevel);
        }

        return Evaluate(signedCms, content, requiredRank, requiredLevel, at);
    }

    private SignatureVerdict Evaluate(SignedCms signedCms, byte[] content, int requiredRank, string requiredLevel, DateTimeOffset at)
    {
        var signerInfos = signedCms.SignerInfos;
        if (signerInfos.Count == 0)
        {
            return requiredRank == 0
                ? new SignatureVerdict(null, "The CMS has no signer, and level none requires no signature.", requiredLevel, SignatureLevels.None, null, [])
                : Rejected(SignatureReasons.MissingSignature, "The CMS SignedData contains no SignerInfo.", requiredLevel);
        }

        if (signerInfos.Count > MaxSigners)
        {
            return Rejected(
                SignatureReasons.TooManyReferences,
                $"The CMS contains {signerInfos.Count} SignerInfos; at most {MaxSigners} are examined.",
                requiredLevel);
        }

        if (signedCms.Certificates.Count > MaxCertificates)
        {
            return Rejected(
                SignatureReasons.TooManyReferences,
                $"The CMS contains {signedCms.Certificates.Count} certificates; at most {MaxCertificates} are accepted.",
                requiredLevel);
        }

        var inspector = new SignerInfoInspector(content, signedCms.Certificates, new TrustEvaluator(_policy), requiredRank, at);
        var reports = new List<SignatureReport>();
        foreach (var signerInfo in signerInfos)
        {
            reports.Add(inspector.Inspect(signerInfo));
        }

        var accepted = reports.FirstOrDefault(report => report.IsValid);
        if (requiredRank == 0)
        {
            var detail = accepted is null
                ? $"Level none requires no signature; none of the {reports.Count} signer(s) is valid, see Signatures."
                : $"Level none requires no signature. {accepted.Detail}";
            return new SignatureVerdict(null, detail, requiredLevel, accepted?.LevelMet ?? SignatureLevels.None, accepted ?? reports[0], reports);
        }

        if (accepted is not null)
        {
            return new SignatureVerdict(null, accepted.Detail, requiredLevel, accepted.LevelMet, accepted, reports);
        }

        var reported = reports.FirstOrDefault(report => report.Reason != SignatureReasons.UnsupportedSignature) ?? reports[0];
        return new SignatureVerdict(reported.Reason, reported.Detail, requiredLevel, reported.LevelMet, reported, reports);
    }

    private static SignatureVerdict Rejected(string reason, string detail, string requiredLevel) =>
        new(reason, detail, requiredLevel, null, null, []);
}
