using System.Security.Cryptography;

namespace Pec.Signing.HttpSignatures;

/// <summary>The RFC 9421 algorithms PEC uses, mapped to .NET keys.</summary>
internal static class HttpSignatureAlgorithms
{
    public const string RsaPssSha512 = "rsa-pss-sha512";
    public const string EcdsaP256Sha256 = "ecdsa-p256-sha256";
    public const string EcdsaP384Sha384 = "ecdsa-p384-sha384";

    public static string For(AsymmetricAlgorithm key) => key switch
    {
        RSA => RsaPssSha512,
        ECDsa { KeySize: 256 } => EcdsaP256Sha256,
        ECDsa { KeySize: 384 } => EcdsaP384Sha384,
        _ => throw new InvalidOperationException($"No RFC 9421 algorithm for a {key.GetType().Name} key of {key.KeySize} bits; use RSA, P-256 or P-384."),
    };

    public static byte[] Sign(AsymmetricAlgorithm key, string algorithm, byte[] data) => (key, algorithm) switch
    {
        (RSA rsa, RsaPssSha512) => rsa.SignData(data, HashAlgorithmName.SHA512, RSASignaturePadding.Pss),
        // RFC 9421, 3.3.4 and 3.3.5: ECDSA signatures are r || s of fixed size, which is .NET's default format.
        (ECDsa ecdsa, EcdsaP256Sha256) => ecdsa.SignData(data, HashAlgorithmName.SHA256),
        (ECDsa ecdsa, EcdsaP384Sha384) => ecdsa.SignData(data, HashAlgorithmName.SHA384),
        _ => throw new InvalidOperationException($"Algorithm '{algorithm}' does not match the key."),
    };

    public static bool Verify(AsymmetricAlgorithm key, string algorithm, byte[] data, byte[] signature) => (key, algorithm) switch
    {
        (RSA rsa, RsaPssSha512) => rsa.VerifyData(data, signature, HashAlgorithmName.SHA512, RSASignaturePadding.Pss),
        (ECDsa ecdsa, EcdsaP256Sha256) => ecdsa.VerifyData(data, signature, HashAlgorithmName.SHA256),
        (ECDsa ecdsa, EcdsaP384Sha384) => ecdsa.VerifyData(data, signature, HashAlgorithmName.SHA384),
        _ => false,
    };
}
