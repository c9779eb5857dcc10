using System.Security.Cryptography;

namespace Pec.Signing.Verification.Algorithms;

/// <summary>RSA-PSS with SHA-256 (<c>http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1</c>).</summary>
public sealed class RsaPssSha256SignatureDescription : RsaPssSignatureDescription
{
    /// <summary>Creates the description; CryptoConfig.CreateFromName needs this public parameterless constructor.</summary>
    public RsaPssSha256SignatureDescription()
        : base(HashAlgorithmName.SHA256, typeof(SHA256))
    {
    }
}
