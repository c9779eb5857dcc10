using System.Security.Cryptography;

namespace Pec.Signing.Verification.Algorithms;

/// <summary>RSA-PSS with SHA-512 (<c>http://www.w3.org/2007/05/xmldsig-more#sha512-rsa-MGF1</c>).</summary>
public sealed class RsaPssSha512SignatureDescription : RsaPssSignatureDescription
{
    /// <summary>Creates the description; CryptoConfig.CreateFromName needs this public parameterless constructor.</summary>
    public RsaPssSha512SignatureDescription()
        : base(HashAlgorithmName.SHA512, typeof(SHA512))
    {
    }
}
