namespace Pec.Signing.Verification;

/// <summary>
/// Trust anchors and CRLs of the XML signature verifier, bound from the <c>Pec:Signatures</c> configuration section
/// and checked when the host starts (every file must exist and parse).
/// </summary>
/// <example>
/// <code>
/// "Pec": { "Signatures": {
///   "Levels": {
///     "RGS**": { "Anchors": [ { "CertificatePath": "/etc/pec/anchors/ac-rgs2.pem", "PolicyOids": [ "(OID of the CA's RGS** policy)" ] } ] },
///     "RGS*": { "Anchors": [ { "CertificatePath": "/etc/pec/anchors/ac-cachet.pem" } ], "RequireNonRepudiation": false }
///   },
///   "CrlPaths": [ "/etc/pec/crl/ac-rgs2.crl" ],
///   "TsaAnchorPaths": [ "/etc/pec/anchors/ac-horodatage.pem" ]
/// } }
/// </code>
/// </example>
public sealed class SignaturePolicyOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Pec:Signatures";

    /// <summary>
    /// Anchors and rules per level, keyed by <c>RGS*</c>, <c>RGS**</c> or <c>RGS***</c>. A level is met when the
    /// signer chain is accepted by that level's anchors or by the anchors of a higher level: anchors are not
    /// inherited downwards, so list an anchor only under the highest level it qualifies for.
    /// </summary>
    public IDictionary<string, SignatureLevelOptions> Levels { get; } = new Dictionary<string, SignatureLevelOptions>(StringComparer.Ordinal);

    /// <summary>
    /// CRL files (DER or PEM, <c>-----BEGIN X509 CRL-----</c>) used to check revocation offline. Each CRL applies to
    /// the certificates of the issuer that signed it; the verifier never downloads CRLs.
    /// </summary>
    public IList<string> CrlPaths { get; } = [];

    /// <summary>
    /// Certificate files (PEM, possibly several certificates, or DER) of the CAs that issue TSA certificates. A XAdES
    /// SignatureTimeStamp is verified only when this list is not empty: without it the time-stamp is ignored and the
    /// signature is treated as XAdES B-B. The TSA certificate must carry the critical timeStamping extended key usage.
    /// </summary>
    public IList<string> TsaAnchorPaths { get; } = [];
}
