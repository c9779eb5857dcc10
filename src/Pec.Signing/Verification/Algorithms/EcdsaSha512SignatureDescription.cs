using System.Security.Cryptography;

namespace Pec.Signing.Verification.Algorithms;

/// <summary>ECDSA with SHA-512 (<c>http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512</c>).</summary>
public sealed class EcdsaSha512SignatureDescription : EcdsaSignatureDescription
{
    /// <summary>Creates the description; CryptoConfig.CreateFromName needs this public parameterless constructor.</summary>
    public EcdsaSha512SignatureDescription()
        : base(HashAlgorithmName.SHA512, typeof(SHA512))
    {
    }
}
