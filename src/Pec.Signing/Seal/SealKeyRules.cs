using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Pec.Signing.Receipts;

namespace Pec.Signing.Seal;

/// <summary>Which certificates and keys PEC accepts as a seal; shared by the seal loader and the receipt verifier.</summary>
internal static class SealKeyRules
{
    public const int MinimumRsaKeySize = 3072;

    public const string AcceptedKeys = "PEC requires RSA keys of at least 3072 bits or ECDSA keys on P-256, P-384 or P-521";

    private static readonly string[] AcceptedCurveOids =
    [
        "1.2.840.10045.3.1.7", // P-256
        "1.3.132.0.34",        // P-384
        "1.3.132.0.35",        // P-521
    ];

    // Some platforms report named curves by friendly name only.
    private static readonly string[] AcceptedCurveNames =
    [
        "nistP256", "ECDSA_P256", "secp256r1", "prime256v1",
        "nistP384", "ECDSA_P384", "secp384r1",
        "nistP521", "ECDSA_P521", "secp521r1",
    ];

    /// <summary>
    /// Checks the key usage and the public key of a seal certificate and returns the SignatureMethod to use.
    /// Works on the certificate alone, so that a bad seal is explained before its private key is even loaded.
    /// </summary>
    /// <exception cref="InvalidOperationException">The certificate cannot be a seal; the message names <paramref name="source"/>.</exception>
    public static string Validate(X509Certificate2 certificate, string source)
    {
        if (!HasSignatureKeyUsage(certificate))
        {
            throw new InvalidOperationException(
                $"The platform seal {source} does not carry the digitalSignature or nonRepudiation key usage.");
        }

        var problem = FindKeyProblem(certificate, out var signatureMethod);
        if (problem is not null)
        {
            throw new InvalidOperationException($"The platform seal {source} {problem}; {AcceptedKeys}.");
        }

        return signatureMethod;
    }

    /// <summary>The private key matching <paramref name="signatureMethod"/>, owned by the caller.</summary>
    public static AsymmetricAlgorithm GetPrivateKey(X509Certificate2 certificate, string signatureMethod, string source)
    {
        AsymmetricAlgorithm? key = signatureMethod == XmlDsigAlgorithms.RsaSha256
            ? certificate.GetRSAPrivateKey()
            : certificate.GetECDsaPrivateKey();
        return key ?? throw new InvalidOperationException($"The platform seal {source} has no usable private key.");
    }

    /// <summary>
    /// True when the certificate has a key usage extension allowing signatures.
    /// A certificate without the extension is refused: a seal must state what it is for.
    /// </summary>
    public static bool HasSignatureKeyUsage(X509Certificate2 certificate)
    {
        var keyUsage = certificate.Extensions.OfType<X509KeyUsageExtension>().FirstOrDefault();
        return keyUsage is not null
            && (keyUsage.KeyUsages & (X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation)) != 0;
    }

    /// <summary>
    /// Describes what is wrong with the certificate's public key ("holds an RSA key of 2048 bits"),
    /// or returns null and the SignatureMethod that key calls for.
    /// </summary>
    public static string? FindKeyProblem(X509Certificate2 certificate, out string signatureMethod)
    {
        signatureMethod = string.Empty;
        try
        {
            return FindKeyProblemCore(certificate, ref signatureMethod);
        }
        catch (CryptographicException ex)
        {
            // A certificate can parse while its SubjectPublicKeyInfo does not (found by corrupting receipts).
            signatureMethod = string.Empty;
            return $"holds a public key that cannot be read ({ex.Message})";
        }
    }

    private static string? FindKeyProblemCore(X509Certificate2 certificate, ref string signatureMethod)
    {
        using (var rsa = certificate.GetRSAPublicKey())
        {
            if (rsa is not null)
            {
                if (rsa.KeySize < MinimumRsaKeySize)
                {
                    return $"holds an RSA key of {rsa.KeySize} bits";
                }

                signatureMethod = XmlDsigAlgorithms.RsaSha256;
                return null;
            }
        }

        // GetECDsaPublicKey returns null for keyAgreement-only EC certificates; the key usage check comes first.
        using (var ecdsa = certificate.GetECDsaPublicKey())
        {
            if (ecdsa is not null)
            {
                if (!IsAcceptedCurve(ecdsa))
                {
                    return "holds an ECDSA key on an unsupported curve";
                }

                signatureMethod = XmlDsigAlgorithms.EcdsaSha256;
                return null;
            }
        }

        return $"holds a {certificate.PublicKey.Oid.FriendlyName ?? certificate.PublicKey.Oid.Value} key";
    }

    internal static bool IsAcceptedCurve(ECDsa key)
    {
        var curve = key.ExportParameters(includePrivateParameters: false).Curve;
        if (!curve.IsNamed)
        {
            return false;
        }

        return (curve.Oid.Value is { } value && AcceptedCurveOids.Contains(value))
            || (curve.Oid.FriendlyName is { } name && AcceptedCurveNames.Contains(name, StringComparer.OrdinalIgnoreCase));
    }
}
