using System.Security.Cryptography;

namespace Pec.Signing.Receipts;

/// <summary>
/// Teaches SignedXml the ecdsa-sha256 SignatureMethod (RFC 4051). The signature value is r‖s
/// (IEEE P1363), the format XML-DSig requires and the one ECDsa.SignHash/VerifyHash use by default.
/// Public only because CryptoConfig.AddAlgorithm refuses types not visible outside their assembly;
/// <see cref="ReceiptSigner"/> and <see cref="ReceiptVerifier"/> register it themselves.
/// </summary>
public sealed class EcdsaSha256SignatureDescription : SignatureDescription
{
    /// <summary>Creates the description; CryptoConfig.CreateFromName needs this public parameterless constructor.</summary>
    public EcdsaSha256SignatureDescription()
    {
        // SignedXml compares KeyAlgorithm with the type of the key it is given, to refuse an RSA key for ECDSA.
        KeyAlgorithm = typeof(ECDsa).AssemblyQualifiedName;
        DigestAlgorithm = typeof(SHA256).AssemblyQualifiedName;
    }

    /// <inheritdoc />
    public override HashAlgorithm CreateDigest() => SHA256.Create();

    /// <inheritdoc />
    public override AsymmetricSignatureFormatter CreateFormatter(AsymmetricAlgorithm key)
    {
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
