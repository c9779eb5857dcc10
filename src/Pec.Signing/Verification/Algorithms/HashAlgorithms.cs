using System.Security.Cryptography;

namespace Pec.Signing.Verification.Algorithms;

/// <summary>Creates the incremental hash objects SignatureDescription.CreateDigest must return.</summary>
internal static class HashAlgorithms
{
    public static HashAlgorithm Create(HashAlgorithmName name) =>
        name.Name switch
        {
            "SHA256" => SHA256.Create(),
            "SHA384" => SHA384.Create(),
            "SHA512" => SHA512.Create(),
            _ => throw new ArgumentOutOfRangeException(nameof(name), name.Name, "Only SHA-256, SHA-384 and SHA-512 are used for signatures."),
        };
}
