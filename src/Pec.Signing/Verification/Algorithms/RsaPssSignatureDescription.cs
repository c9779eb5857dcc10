using System.Security.Cryptography;

namespace Pec.Signing.Verification.Algorithms;

/// <summary>
/// Teaches SignedXml an RSA-PSS SignatureMethod of RFC 6931 (<c>http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1</c>
/// and its SHA-384 and SHA-512 siblings): MGF1 with the same hash, salt as long as the hash, trailer 0xBC, the
/// parameters .NET's <see cref="RSASignaturePadding.Pss"/> uses. Public only because CryptoConfig.AddAlgorithm
/// refuses types not visible outside their assembly.
/// </summary>
public abstract class RsaPssSignatureDescription : SignatureDescription
{
    private readonly HashAlgorithmName _hash;

    private protected RsaPssSignatureDescription(HashAlgorithmName hash, Type digestType)
    {
        _hash = hash;
        // SignedXml compares KeyAlgorithm with the type of the key it is given, to refuse an ECDSA key for RSA-PSS.
        KeyAlgorithm = typeof(RSA).AssemblyQualifiedName;
        DigestAlgorithm = digestType.AssemblyQualifiedName;
    }

    /// <inheritdoc />
    public override HashAlgorithm CreateDigest() => HashAlgorithms.Create(_hash);

    /// <inheritdoc />
    public override AsymmetricSignatureFormatter CreateFormatter(AsymmetricAlgorithm key)
    {
        var formatter = new RsaPssSignatureFormatter(_hash);
        formatter.SetKey(key);
        return formatter;
    }

    /// <inheritdoc />
    public override AsymmetricSignatureDeformatter CreateDeformatter(AsymmetricAlgorithm key)
    {
        var deformatter = new RsaPssSignatureDeformatter(_hash);
        deformatter.SetKey(key);
        return deformatter;
    }
}
