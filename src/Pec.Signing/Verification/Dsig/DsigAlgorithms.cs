using System.Security.Cryptography;

namespace Pec.Signing.Verification.Dsig;

/// <summary>
/// Algorithm URIs the verifier accepts and how it classifies the others. The accepted set is the one PEC's ANSSI
/// rules allow: SHA-2 digests, RSA PKCS#1 v1.5 and RSA-PSS, ECDSA.
/// </summary>
internal static class DsigAlgorithms
{
    public const string InclusiveC14N = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315";
    public const string InclusiveC14NWithComments = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments";
    public const string ExclusiveC14N = "http://www.w3.org/2001/10/xml-exc-c14n#";
    public const string ExclusiveC14NWithComments = "http://www.w3.org/2001/10/xml-exc-c14n#WithComments";
    public const string EnvelopedSignature = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";
    public const string Base64 = "http://www.w3.org/2000/09/xmldsig#base64";

    public const string Sha256 = "http://www.w3.org/2001/04/xmlenc#sha256";
    public const string Sha384 = "http://www.w3.org/2001/04/xmldsig-more#sha384";
    public const string Sha512 = "http://www.w3.org/2001/04/xmlenc#sha512";
    public const string Sha1 = "http://www.w3.org/2000/09/xmldsig#sha1";

    public const string RsaSha256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
    public const string RsaSha384 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384";
    public const string RsaSha512 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512";
    public const string RsaPssSha256 = "http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1";
    public const string RsaPssSha384 = "http://www.w3.org/2007/05/xmldsig-more#sha384-rsa-MGF1";
    public const string RsaPssSha512 = "http://www.w3.org/2007/05/xmldsig-more#sha512-rsa-MGF1";
    public const string EcdsaSha256 = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256";
    public const string EcdsaSha384 = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384";
    public const string EcdsaSha512 = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512";

    private static readonly Dictionary<string, SignatureMethod> SignatureMethods = new(StringComparer.Ordinal)
    {
        [RsaSha256] = new(RsaSha256, SignatureKeyFamily.RsaPkcs1, HashAlgorithmName.SHA256),
        [RsaSha384] = new(RsaSha384, SignatureKeyFamily.RsaPkcs1, HashAlgorithmName.SHA384),
        [RsaSha512] = new(RsaSha512, SignatureKeyFamily.RsaPkcs1, HashAlgorithmName.SHA512),
        [RsaPssSha256] = new(RsaPssSha256, SignatureKeyFamily.RsaPss, HashAlgorithmName.SHA256),
        [RsaPssSha384] = new(RsaPssSha384, SignatureKeyFamily.RsaPss, HashAlgorithmName.SHA384),
        [RsaPssSha512] = new(RsaPssSha512, SignatureKeyFamily.RsaPss, HashAlgorithmName.SHA512),
        [EcdsaSha256] = new(EcdsaSha256, SignatureKeyFamily.Ecdsa, HashAlgorithmName.SHA256),
        [EcdsaSha384] = new(EcdsaSha384, SignatureKeyFamily.Ecdsa, HashAlgorithmName.SHA384),
        [EcdsaSha512] = new(EcdsaSha512, SignatureKeyFamily.Ecdsa, HashAlgorithmName.SHA512),
    };

    private static readonly Dictionary<string, HashAlgorithmName> DigestMethods = new(StringComparer.Ordinal)
    {
        [Sha256] = HashAlgorithmName.SHA256,
        [Sha384] = HashAlgorithmName.SHA384,
        [Sha512] = HashAlgorithmName.SHA512,
    };

    // Fragments of algorithm URIs naming primitives that ANSSI no longer accepts for signatures. HMAC is refused
    // whatever its hash: anyone holding the key (for a certificate-keyed HMAC, anyone) can produce the value.
    private static readonly string[] WeakMarkers = ["sha1", "md5", "ripemd", "sha224", "hmac", "#dsa-", "gost"];

    /// <summary>Transforms and canonicalization methods that operate on XML and produce canonical octets.</summary>
    public static bool IsCanonicalization(string algorithm) =>
        algorithm is InclusiveC14N or InclusiveC14NWithComments or ExclusiveC14N or ExclusiveC14NWithComments;

    /// <exception cref="SignatureRejection"><c>weak-algorithm</c> or <c>unsupported-signature</c>.</exception>
    public static SignatureMethod GetSignatureMethod(string uri, bool hasHmacOutputLength)
    {
        if (hasHmacOutputLength || IsWeak(uri))
        {
            throw new SignatureRejection(
                SignatureReasons.WeakAlgorithm,
                $"The SignatureMethod {uri} is refused: accepted are RSA (PKCS#1 v1.5 or PSS) and ECDSA with SHA-256, SHA-384 or SHA-512.");
        }

        return SignatureMethods.TryGetValue(uri, out var method)
            ? method
            : throw new SignatureRejection(SignatureReasons.UnsupportedSignature, $"The SignatureMethod {uri} is not supported.");
    }

    /// <exception cref="SignatureRejection"><c>weak-algorithm</c> or <c>unsupported-signature</c>.</exception>
    public static HashAlgorithmName GetDigestMethod(string uri)
    {
        if (DigestMethods.TryGetValue(uri, out var hash))
        {
            return hash;
        }

        throw IsWeak(uri)
            ? new SignatureRejection(SignatureReasons.WeakAlgorithm, $"The DigestMethod {uri} is refused: accepted are SHA-256, SHA-384 and SHA-512.")
            : new SignatureRejection(SignatureReasons.UnsupportedSignature, $"The DigestMethod {uri} is not supported.");
    }

    /// <summary>
    /// Digest of a XAdES CertDigest. SHA-1 is accepted here, unlike everywhere else: it only names a certificate
    /// the verifier already holds and compares in full, and XAdES producers (among them the EU trusted lists of
    /// 2019) still write SHA-1 there. Forging a match would need a second preimage, not a collision.
    /// </summary>
    /// <exception cref="SignatureRejection"><c>weak-algorithm</c> or <c>unsupported-signature</c>.</exception>
    public static HashAlgorithmName GetCertificateDigestMethod(string uri) =>
        string.Equals(uri, Sha1, StringComparison.Ordinal) ? HashAlgorithmName.SHA1 : GetDigestMethod(uri);

    private static bool IsWeak(string uri) =>
        WeakMarkers.Any(marker => uri.Contains(marker, StringComparison.OrdinalIgnoreCase));
}
