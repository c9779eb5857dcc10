using System.Security.Cryptography;

namespace Pec.Signing.Receipts;

/// <summary>Signs a SHA-256 hash with ECDSA, returning r‖s (IEEE P1363) as XML-DSig expects.</summary>
internal sealed class EcdsaSignatureFormatter : AsymmetricSignatureFormatter
{
    private ECDsa? _key;

    public override void SetKey(AsymmetricAlgorithm key)
    {
        ArgumentNullException.ThrowIfNull(key);
        _key = key as ECDsa ?? throw new CryptographicException($"ecdsa-sha256 needs an ECDsa key, not {key.GetType().Name}.");
    }

    // The hash algorithm is fixed by the SignatureDescription; SignedXml passes the hash object's type name here.
    public override void SetHashAlgorithm(string strName)
    {
    }

    public override byte[] CreateSignature(byte[] rgbHash)
    {
        ArgumentNullException.ThrowIfNull(rgbHash);
        if (_key is null)
        {
            throw new CryptographicException("No ECDSA key was set.");
        }

        return _key.SignHash(rgbHash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }
}
