namespace Pec.Signing.Verification;

/// <summary>
/// Machine-readable reason codes of <see cref="SignatureVerdict.Reason"/>. The values are stable: callers map them
/// to their own messages and may store them.
/// </summary>
public static class SignatureReasons
{
    /// <summary>The document contains no <c>ds:Signature</c> element.</summary>
    public const string MissingSignature = "missing-signature";

    /// <summary>Every signature uses an unknown algorithm or a shape this verifier does not handle.</summary>
    public const string UnsupportedSignature = "unsupported-signature";

    /// <summary>The payload is not well-formed XML, or nests elements deeper than the verifier accepts.</summary>
    public const string MalformedXml = "malformed-xml";

    /// <summary>
    /// A CMS (CAdES) or JWS signature cannot be decoded: not a CMS SignedData or not compact JWS, invalid base64url, a JWS header
    /// that is not strict UTF-8 JSON or repeats a member name, or a signature larger than the verifier accepts.
    /// </summary>
    public const string MalformedSignature = "malformed-signature";

    /// <summary>The payload contains a document type declaration.</summary>
    public const string DtdForbidden = "dtd-forbidden";

    /// <summary>Two elements carry the same identifier in attributes named <c>Id</c>, <c>ID</c> or <c>id</c> (any namespace).</summary>
    public const string DuplicateId = "duplicate-id";

    /// <summary>
    /// A reference URI is neither <c>""</c> nor <c>#id</c>, except the one payload reference of a detached signature,
    /// which is a bare file name.
    /// </summary>
    public const string ExternalReference = "external-reference";

    /// <summary>A transform or canonicalization method is not on the allow-list, or the transform chain has a forbidden shape.</summary>
    public const string ForbiddenTransform = "forbidden-transform";

    /// <summary>The document has more signatures, or a signature more references, than the verifier accepts.</summary>
    public const string TooManyReferences = "too-many-references";

    /// <summary>A reference digest does not match its content, or its target is missing.</summary>
    public const string DigestMismatch = "digest-mismatch";

    /// <summary>No certificate of KeyInfo verifies the SignatureValue.</summary>
    public const string SignatureMismatch = "signature-mismatch";

    /// <summary>The signature, digest or certificate digest algorithm is refused (SHA-1, MD5, DSA, HMAC and the like).</summary>
    public const string WeakAlgorithm = "weak-algorithm";

    /// <summary>The signer key is too short or on a curve the rules do not accept.</summary>
    public const string WeakKey = "weak-key";

    /// <summary>The signer certificate does not chain to a configured trust anchor, or its revocation status cannot be checked.</summary>
    public const string UntrustedChain = "untrusted-chain";

    /// <summary>The chain reaches an anchor that requires certificate policies the signer certificate does not carry.</summary>
    public const string PolicyNotAccepted = "policy-not-accepted";

    /// <summary>A certificate of the chain had expired at the signing time.</summary>
    public const string CertificateExpired = "certificate-expired";

    /// <summary>A certificate of the chain was not yet valid at the signing time.</summary>
    public const string CertificateNotYetValid = "certificate-not-yet-valid";

    /// <summary>A certificate of the chain is listed in a configured CRL.</summary>
    public const string CertificateRevoked = "certificate-revoked";

    /// <summary>The signer certificate lacks the key usage the level requires.</summary>
    public const string KeyUsage = "key-usage";

    /// <summary>The XAdES SigningCertificate or SigningCertificateV2 digest does not match the signer certificate.</summary>
    public const string SigningCertificateMismatch = "signing-certificate-mismatch";

    /// <summary>
    /// Signed content was moved or mixed with unsigned content: a reference target outside its expected place,
    /// a comment hidden inside signed content, or a valid signature that does not cover the whole document.
    /// </summary>
    public const string Wrapping = "wrapping";

    /// <summary>The signature is valid and trusted, but only by anchors of a lower level than the one required.</summary>
    public const string LevelNotMet = "level-not-met";

    /// <summary>
    /// A XAdES SignatureTimeStamp is present and TSA anchors are configured, but the time-stamp is unreadable, does not
    /// cover the canonical ds:SignatureValue, has an invalid signature or comes from an untrusted TSA.
    /// </summary>
    public const string TimestampInvalid = "timestamp-invalid";

    /// <summary>Every reason code, in the order of this class.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        MissingSignature, UnsupportedSignature, MalformedXml, MalformedSignature, DtdForbidden, DuplicateId, ExternalReference,
        ForbiddenTransform, TooManyReferences, DigestMismatch, SignatureMismatch, WeakAlgorithm, WeakKey,
        UntrustedChain, PolicyNotAccepted, CertificateExpired, CertificateNotYetValid, CertificateRevoked,
        KeyUsage, SigningCertificateMismatch, Wrapping, LevelNotMet, TimestampInvalid,
    ];
}
