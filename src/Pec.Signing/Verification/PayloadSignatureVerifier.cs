using System.Text;
using Pec.Signing.Verification.Cades;
using Pec.Signing.Verification.Jws;

namespace Pec.Signing.Verification;

/// <summary>
/// One entry point for every signature format PEC verifies. Each format applies the same trust, revocation, key and
/// algorithm rules and returns a <see cref="SignatureVerdict"/> with the same reason codes, so callers handle all
/// formats alike. Thread-safe.
/// </summary>
/// <remarks>
/// <see cref="SignatureVerdict.Algorithms"/> holds XML-DSig URIs for XML and CAdES signatures (CMS OIDs are mapped
/// to the equivalent URI) and the JOSE <c>alg</c> name for JWS; CanonicalizationMethod is empty for CAdES and JWS,
/// and DigestMethods is empty for JWS, which has no separate digest. <see cref="SignatureVerdict.SignedContent"/> is
/// null for CAdES and JWS: what they sign is the payload passed in.
/// </remarks>
public sealed class PayloadSignatureVerifier
{
    private readonly XmlSignatureVerifier _xml;
    private readonly CadesSignatureVerifier _cades;
    private readonly JwsSignatureVerifier _jws;

    /// <summary>Creates the verifier of each format. Each of them loads the anchors and CRLs of <paramref name="options"/>.</summary>
    /// <exception cref="InvalidOperationException">A file is missing or unreadable, or a setting is invalid.</exception>
    public PayloadSignatureVerifier(SignaturePolicyOptions options, TimeProvider timeProvider)
        : this(new XmlSignatureVerifier(options, timeProvider), new CadesSignatureVerifier(options, timeProvider), new JwsSignatureVerifier(options, timeProvider))
    {
    }

    /// <summary>Dispatches to verifiers created elsewhere, for example the singletons of dependency injection.</summary>
    public PayloadSignatureVerifier(XmlSignatureVerifier xml, CadesSignatureVerifier cades, JwsSignatureVerifier jws)
    {
        ArgumentNullException.ThrowIfNull(xml);
        ArgumentNullException.ThrowIfNull(cades);
        ArgumentNullException.ThrowIfNull(jws);
        _xml = xml;
        _cades = cades;
        _jws = jws;
    }

    /// <summary>
    /// Verifies <paramref name="payload"/> and, for detached formats, <paramref name="detachedSignature"/> (DER CMS,
    /// the ASCII bytes of the compact JWS, or the XML bytes of the detached XML signature document) against <paramref name="requiredLevel"/>. A detached signature that is
    /// null or empty means the payload is unsigned: valid at level <c>none</c>, <c>missing-signature</c> otherwise.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="requiredLevel"/> is not a known level, or <paramref name="format"/> is not defined.</exception>
    public SignatureVerdict Verify(
        PayloadSignatureFormat format, byte[] payload, byte[]? detachedSignature, string requiredLevel, DateTimeOffset? at = null)
    {
        ArgumentNullException.ThrowIfNull(payload);
        ArgumentNullException.ThrowIfNull(requiredLevel);
        if (format == PayloadSignatureFormat.Xml)
        {
            return _xml.Verify(payload, requiredLevel, at);
        }

        if (format is not (PayloadSignatureFormat.CadesDetached or PayloadSignatureFormat.JwsDetached or PayloadSignatureFormat.XmlDetached))
        {
            throw new ArgumentException($"'{format}' is not a payload signature format.", nameof(format));
        }

        if (detachedSignature is null || detachedSignature.Length == 0)
        {
            return Unsigned(requiredLevel);
        }

        if (format == PayloadSignatureFormat.XmlDetached)
        {
            return _xml.VerifyDetached(payload, detachedSignature, requiredLevel, at);
        }

        if (format == PayloadSignatureFormat.CadesDetached)
        {
            return _cades.VerifyDetached(payload, detachedSignature, requiredLevel, at);
        }

        // A compact JWS is ASCII. Other bytes become '?', which the JWS verifier rejects as invalid base64url.
        return _jws.VerifyDetachedJws(payload, Encoding.ASCII.GetString(detachedSignature), requiredLevel, at);
    }

    private static SignatureVerdict Unsigned(string requiredLevel)
    {
        var rank = SignatureLevels.Rank(requiredLevel);
        if (rank < 0)
        {
            throw new ArgumentException(
                $"'{requiredLevel}' is not a signature level; expected one of {string.Join(", ", SignatureLevels.Ordered)}.", nameof(requiredLevel));
        }

        return rank == 0
            ? new SignatureVerdict(null, "The payload is not signed, and level none requires no signature.", requiredLevel, SignatureLevels.None, null, [])
            : new SignatureVerdict(SignatureReasons.MissingSignature, "No detached signature was given for the payload.", requiredLevel, null, null, []);
    }
}
