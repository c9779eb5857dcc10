using System.Security.Cryptography;
using Pec.Signing.Receipts;

namespace Pec.Signing.Verification.Algorithms;

/// <summary>
/// Teaches SignedXml the ecdsa-sha384 and ecdsa-sha512 SignatureMethods (RFC 4051), with the r‖s value XML-DSig
/// requires; ecdsa-sha256 is <see cref="EcdsaSha256SignatureDescription"/>. Public only because
/// CryptoConfig.AddAlgorithm refuses types not visible outside their assembly.
/// </summary>
public abstract class EcdsaSignatureDescription : SignatureDescription
{
    private readonly HashAlgorithmName _hash;

    private protected EcdsaSignatureDescription(HashAlgorithmName hash, Type digestType)
    {
        _hash = hash;
        // SignedXml compares KeyAlgorithm with the type of the key it is given, to refuse an RSA key for ECDSA.
        KeyAlgorithm = typeof(ECDsa).AssemblyQualifiedName;
        DigestAlgorithm = digestType.AssemblyQualifiedName;
    }

    /// <inheritdoc />
    public override HashAlgorithm CreateDigest() => HashAlgorithms.Create(_hash);

    /// <inheritdoc />
    public override AsymmetricSignatureFormatter CreateFormatter(AsymmetricAlgorithm key)
    {
        // The receipt formatter signs whatever hash it is given, so it serves every ECDSA hash size.
        var formatter = new EcdsaSignatureFormatter();
        formatter.SetKey(key);
        return formatter;
    }

    /// <inheritdoc />
    public override AsymmetricSignatureDeformatter CreateDeformatter(AsymmetricAlgorithm key)
    {
        var deformatter = new EcdsaSignatureDeformatter();
        deformatter.SetKey(key);
        return deformatter;
    }
}
