using System.Security.Cryptography;
using Pec.Signing.Seal;

namespace Pec.Signing.HttpSignatures;

/// <summary>
/// Signs PEC's push requests with the platform seal (RFC 9421). RSA seals use <c>rsa-pss-sha512</c>
/// and ECDSA seals <c>ecdsa-p256-sha256</c> or <c>ecdsa-p384-sha384</c>; the key id is the SHA-256
/// of the seal certificate, so recipients can pick the right certificate during a seal rollover.
/// </summary>
public sealed class HttpMessageSigner
{
    private readonly PlatformSeal _seal;

    public HttpMessageSigner(PlatformSeal seal)
    {
        ArgumentNullException.ThrowIfNull(seal);
        _seal = seal;
        KeyId = Convert.ToHexStringLower(seal.Certificate.GetCertHash(HashAlgorithmName.SHA256));
        Algorithm = HttpSignatureAlgorithms.For(seal.SigningKey);
    }

    /// <summary>SHA-256 of the seal certificate, lowercase hex.</summary>
    public string KeyId { get; }

    /// <summary>RFC 9421 algorithm name used.</summary>
    public string Algorithm { get; }

    /// <summary>Returns the Signature-Input and Signature header values for the given components.</summary>
    public (string SignatureInput, string Signature) Sign(IReadOnlyDictionary<string, string> components, DateTimeOffset created)
    {
        var parameters = HttpSignatureBase.SignatureParams(created, KeyId, Algorithm);
        var data = HttpSignatureBase.Build(components, parameters);
        var signature = HttpSignatureAlgorithms.Sign(_seal.SigningKey, Algorithm, data);
        return ($"{HttpSignatureBase.Label}={parameters}", $"{HttpSignatureBase.Label}=:{Convert.ToBase64String(signature)}:");
    }
}
