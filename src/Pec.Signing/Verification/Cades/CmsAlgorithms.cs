using System.Security.Cryptography;
using Pec.Signing.Verification.Dsig;

namespace Pec.Signing.Verification.Cades;

/// <summary>
/// CMS digest and signature algorithm OIDs that the verifier accepts, under the same rules as XML signatures:
/// SHA-256/384/512 digests, RSA PKCS#1 v1.5, RSA-PSS and ECDSA. Verdicts report each algorithm by its XML-DSig URI,
/// so that callers compare CAdES and XAdES signatures with the same values.
/// </summary>
internal static class CmsAlgorithms
{
    public const string RsaEncryption = "1.2.840.113549.1.1.1";
    public const string RsaPss = "1.2.840.113549.1.1.10";
    public const string EcPublicKey = "1.2.840.10045.2.1";

    private static readonly Dictionary<string, (HashAlgorithmName Hash, string Uri)> Digests = new(StringComparer.Ordinal)
    {
        ["2.16.840.1.101.3.4.2.1"] = (HashAlgorithmName.SHA256, DsigAlgorithms.Sha256),
        ["2.16.840.1.101.3.4.2.2"] = (HashAlgorithmName.SHA384, DsigAlgorithms.Sha384),
        ["2.16.840.1.101.3.4.2.3"] = (HashAlgorithmName.SHA512, DsigAlgorithms.Sha512),
    };

    // Signature OIDs that name their hash. rsaEncryption, id-ecPublicKey and RSASSA-PSS do not: their hash is the
    // SignerInfo digest algorithm (for PSS, .NET checks that the PSS parameters use the same hash).
    private static readonly Dictionary<string, (SignatureKeyFamily Family, HashAlgorithmName Hash)> Signatures = new(StringComparer.Ordinal)
    {
        ["1.2.840.113549.1.1.11"] = (SignatureKeyFamily.RsaPkcs1, HashAlgorithmName.SHA256),
        ["1.2.840.113549.1.1.12"] = (SignatureKeyFamily.RsaPkcs1, HashAlgorithmName.SHA384),
        ["1.2.840.113549.1.1.13"] = (SignatureKeyFamily.RsaPkcs1, HashAlgorithmName.SHA512),
        ["1.2.840.10045.4.3.2"] = (SignatureKeyFamily.Ecdsa, HashAlgorithmName.SHA256),
        ["1.2.840.10045.4.3.3"] = (SignatureKeyFamily.Ecdsa, HashAlgorithmName.SHA384),
        ["1.2.840.10045.4.3.4"] = (SignatureKeyFamily.Ecdsa, HashAlgorithmName.SHA512),
    };

    // MD2, MD5, SHA-1 and SHA-224 digests, and the RSA, DSA and ECDSA signature OIDs built on them.
    private static readonly HashSet<string> Weak = new(StringComparer.Ordinal)
    {
        "1.2.840.113549.2.2", "1.2.840.113549.2.5", "1.3.14.3.2.26", "2.16.840.1.101.3.4.2.4",
        "1.2.840.113549.1.1.2", "1.2.840.113549.1.1.4", "1.2.840.113549.1.1.5", "1.2.840.113549.1.1.14",
        "1.3.14.3.2.29", "1.2.840.10040.4.1", "1.2.840.10040.4.3", "2.16.840.1.101.3.4.3.1", "2.16.840.1.101.3.4.3.2",
        "1.2.840.10045.4.1", "1.2.840.10045.4.3.1",
    };

    /// <summary>Returns the hash of a SignerInfo digest algorithm and its XML-DSig URI.</summary>
    /// <exception cref="SignatureRejection"><c>weak-algorithm</c> or <c>unsupported-signature</c>.</exception>
    public static (HashAlgorithmName Hash, string Uri) GetDigest(string? oid)
    {
        if (oid is not null && Digests.TryGetValue(oid, out var digest))
        {
            return digest;
        }

        throw oid is not null && Weak.Contains(oid)
            ? new SignatureRejection(SignatureReasons.WeakAlgorithm, $"The CMS digest algorithm {oid} is rejected: accepted are SHA-256, SHA-384 and SHA-512.")
            : new SignatureRejection(SignatureReasons.UnsupportedSignature, $"The CMS digest algorithm {oid} is not supported.");
    }

    /// <summary>
    /// Returns the XML-DSig URI of a SignerInfo signature algorithm used with <paramref name="digest"/>.
    /// A signature OID that names a hash other than the digest algorithm is rejected.
    /// </summary>
    /// <exception cref="SignatureRejection"><c>weak-algorithm</c> or <c>unsupported-signature</c>.</exception>
    public static string GetSignatureUri(string? oid, HashAlgorithmName digest)
    {
        if (oid is not null && Weak.Contains(oid))
        {
            throw new SignatureRejection(
                SignatureReasons.WeakAlgorithm,
                $"The CMS signature algorithm {oid} is rejected: accepted are RSA (PKCS#1 v1.5 or PSS) and ECDSA with SHA-256, SHA-384 or SHA-512.");
        }

        SignatureKeyFamily family;
        if (oid is RsaEncryption)
        {
            family = SignatureKeyFamily.RsaPkcs1;
        }
        else if (oid is RsaPss)
        {
            family = SignatureKeyFamily.RsaPss;
        }
        else if (oid is EcPublicKey)
        {
            family = SignatureKeyFamily.Ecdsa;
        }
        else if (oid is not null && Signatures.TryGetValue(oid, out var named))
        {
            if (named.Hash != digest)
            {
                throw new SignatureRejection(
                    SignatureReasons.UnsupportedSignature,
                    $"The CMS signature algorithm {oid} uses {named.Hash.Name}, but the SignerInfo digest algorithm is {digest.Name}.");
            }

            family = named.Family;
        }
        else
        {
            throw new SignatureRejection(SignatureReasons.UnsupportedSignature, $"The CMS signature algorithm {oid} is not supported.");
        }

        return DsigUri(family, digest);
    }

    private static string DsigUri(SignatureKeyFamily family, HashAlgorithmName hash) => (family, hash.Name) switch
    {
        (SignatureKeyFamily.RsaPkcs1, "SHA256") => DsigAlgorithms.RsaSha256,
        (SignatureKeyFamily.RsaPkcs1, "SHA384") => DsigAlgorithms.RsaSha384,
        (SignatureKeyFamily.RsaPkcs1, _) => DsigAlgorithms.RsaSha512,
        (SignatureKeyFamily.RsaPss, "SHA256") => DsigAlgorithms.RsaPssSha256,
        (SignatureKeyFamily.RsaPss, "SHA384") => DsigAlgorithms.RsaPssSha384,
        (SignatureKeyFamily.RsaPss, _) => DsigAlgorithms.RsaPssSha512,
        (_, "SHA256") => DsigAlgorithms.EcdsaSha256,
        (_, "SHA384") => DsigAlgorithms.EcdsaSha384,
        _ => DsigAlgorithms.EcdsaSha512,
    };
}
