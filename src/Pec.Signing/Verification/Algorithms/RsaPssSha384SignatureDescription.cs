using System.Security.Cryptography;

namespace Pec.Signing.Verification.Algorithms;

/// <summary>RSA-PSS with SHA-384 (<c>http://www.w3.org/2007/05/xmldsig-more#sha384-rsa-MGF1</c>).</summary>
public sealed class RsaPssSha384SignatureDescription : RsaPssSignatureDescription
{
    /// <summary>Creates the description; CryptoConfig.CreateFromName needs this public parameterless constructor.</summary>
    public RsaPssSha384SignatureDescription()
        : base(HashAlgorithmName.SHA384, typeof(SHA384))
    {
    }
}
