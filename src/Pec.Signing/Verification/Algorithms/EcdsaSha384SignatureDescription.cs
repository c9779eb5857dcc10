using System.Security.Cryptography;

namespace Pec.Signing.Verification.Algorithms;

/// <summary>ECDSA with SHA-384 (<c>http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384</c>).</summary>
public sealed class EcdsaSha384SignatureDescription : EcdsaSignatureDescription
{
    /// <summary>Creates the description; CryptoConfig.CreateFromName needs this public parameterless constructor.</summary>
    public EcdsaSha384SignatureDescription()
        : base(HashAlgorithmName.SHA384, typeof(SHA384))
    {
    }
}
