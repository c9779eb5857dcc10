using System.Security.Cryptography;
using Pec.Signing.Verification.Dsig;

namespace Pec.Signing.Verification.Jws;

/// <summary>
/// JOSE <c>alg</c> values (RFC 7518) that the verifier accepts, under the same rules as XML signatures: RSA PKCS#1
/// v1.5, RSA-PSS and ECDSA with SHA-256/384/512. Verdicts report JWS algorithms by their JOSE name.
/// </summary>
internal static class JwsAlgorithms
{
    private static readonly Dictionary<string, JwsAlgorithm> Accepted = new(StringComparer.Ordinal)
    {
        ["RS256"] = new("RS256", SignatureKeyFamily.RsaPkcs1, HashAlgorithmName.SHA256, null),
        ["RS384"] = new("RS384", SignatureKeyFamily.RsaPkcs1, HashAlgorithmName.SHA384, null),
        ["RS512"] = new("RS512", SignatureKeyFamily.RsaPkcs1, HashAlgorithmName.SHA512, null),
        ["PS256"] = new("PS256", SignatureKeyFamily.RsaPss, HashAlgorithmName.SHA256, null),
        ["PS384"] = new("PS384", SignatureKeyFamily.RsaPss, HashAlgorithmName.SHA384, null),
        ["PS512"] = new("PS512", SignatureKeyFamily.RsaPss, HashAlgorithmName.SHA512, null),
        ["ES256"] = new("ES256", SignatureKeyFamily.Ecdsa, HashAlgorithmName.SHA256, 256),
        ["ES384"] = new("ES384", SignatureKeyFamily.Ecdsa, HashAlgorithmName.SHA384, 384),
        ["ES512"] = new("ES512", SignatureKeyFamily.Ecdsa, HashAlgorithmName.SHA512, 521),
    };

    /// <exception cref="SignatureRejection">
    /// <c>weak-algorithm</c> for <c>none</c> and HMAC (<c>HS*</c>), which prove nothing about the signer: an HMAC can be
    /// computed by anyone who has the shared key, and <c>none</c> has no signature at all.
    /// Otherwise <c>unsupported-signature</c> for any value not accepted.
    /// </exception>
    public static JwsAlgorithm Get(string alg)
    {
        if (Accepted.TryGetValue(alg, out var algorithm))
        {
            return algorithm;
        }

        if (string.Equals(alg, "none", StringComparison.OrdinalIgnoreCase) || alg.StartsWith("HS", StringComparison.OrdinalIgnoreCase))
        {
            throw new SignatureRejection(
                SignatureReasons.WeakAlgorithm, $"The JWS alg '{alg}' is rejected: accepted are RS256/384/512, PS256/384/512 and ES256/384/512.");
        }

        throw new SignatureRejection(SignatureReasons.UnsupportedSignature, $"The JWS alg '{alg}' is not supported.");
    }
}

/// <summary>An accepted JOSE algorithm: its name, key family, hash and, for ECDSA, the curve size RFC 7518 pairs it with.</summary>
internal sealed record JwsAlgorithm(string Name, SignatureKeyFamily Family, HashAlgorithmName Hash, int? CurveBits);
