using System.Security.Cryptography;

namespace Pec.Signing.Verification.Algorithms;

/// <summary>Signs a hash with RSA-PSS; used by tests to produce RSA-PSS signatures through SignedXml.</summary>
internal sealed class RsaPssSignatureFormatter(HashAlgorithmName hash) : AsymmetricSignatureFormatter
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

    public override byte[] CreateSignature(byte[] rgbHash)
    {
        ArgumentNullException.ThrowIfNull(rgbHash);
        var key = _key ?? throw new CryptographicException("No RSA key was set.");
        return key.SignHash(rgbHash, hash, RSASignaturePadding.Pss);
    }
}
