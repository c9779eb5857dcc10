using System.Security.Cryptography;

namespace Pec.Signing.Verification.Algorithms;

/// <summary>Checks an RSA-PSS signature over a hash.</summary>
internal sealed class RsaPssSignatureDeformatter(HashAlgorithmName hash) : AsymmetricSignatureDeformatter
{
    private RSA? _key;

    public override void SetKey(AsymmetricAlgorithm key)
    {
        ArgumentNullException.ThrowIfNull(key);
        _key = key as RSA ?? throw new CryptographicException($"RSA-PSS needs an RSA key, not {key.GetType().Name}.");
    }

    // The hash algorithm is fixed by the SignatureDescription.
    public override void SetHashAlgorithm(string strName)
    {
    }

    public override bool VerifySignature(byte[] rgbHash, byte[] rgbSignature)
    {
        ArgumentNullException.ThrowIfNull(rgbHash);
        ArgumentNullException.ThrowIfNull(rgbSignature);
        var key = _key ?? throw new CryptographicException("No RSA key was set.");
        return key.VerifyHash(rgbHash, rgbSignature, hash, RSASignaturePadding.Pss);
    }
}
