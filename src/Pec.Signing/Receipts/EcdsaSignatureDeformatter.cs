using System.Security.Cryptography;

namespace Pec.Signing.Receipts;

/// <summary>Checks an ECDSA r‖s (IEEE P1363) signature over a SHA-256 hash.</summary>
internal sealed class EcdsaSignatureDeformatter : AsymmetricSignatureDeformatter
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

    public override bool VerifySignature(byte[] rgbHash, byte[] rgbSignature)
    {
        ArgumentNullException.ThrowIfNull(rgbHash);
        ArgumentNullException.ThrowIfNull(rgbSignature);
        if (_key is null)
        {
            throw new CryptographicException("No ECDSA key was set.");
        }

        // A DER-encoded signature (what some libraries emit by mistake) is refused here, as XML-DSig requires r‖s.
        return _key.VerifyHash(rgbHash, rgbSignature, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }
}
