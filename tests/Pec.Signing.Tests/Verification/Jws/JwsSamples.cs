using System.Buffers.Text;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Pec.Signing.Tests.Verification.Support;
using Pec.Signing.Verification;
using Pec.Signing.Verification.Jws;

namespace Pec.Signing.Tests.Verification.Jws;

/// <summary>Builds compact detached JWS by hand with .NET keys, so that tests control every header byte.</summary>
internal static class JwsSamples
{
    public static readonly byte[] Payload = Encoding.UTF8.GetBytes("{\"dossier\":\"2026-000123\",\"montant\":1250.5,\"objet\":\"Déclaration\"}");

    /// <summary>A verifier whose RGS** level trusts the test CA that issued <see cref="TestPolicy"/>'s signers.</summary>
    public static JwsSignatureVerifier Verifier() =>
        new(TestPolicy.Shared.Options(options => options.Levels[SignatureLevels.RgsTwoStars] = TestPolicy.Level(TestPolicy.Shared.RgsOneStarCaPath)),
            TimeProvider.System);

    /// <summary>The x5c JSON array member holding <paramref name="certificates"/> in standard base64.</summary>
    public static string X5c(params X509Certificate2[] certificates) =>
        "\"x5c\":[" + string.Join(",", certificates.Select(c => $"\"{Convert.ToBase64String(c.RawData)}\"")) + "]";

    public static string X5tS256(X509Certificate2 certificate) =>
        $"\"x5t#S256\":\"{Base64Url.EncodeToString(SHA256.HashData(certificate.RawData))}\"";

    /// <summary>A header with <paramref name="alg"/>, x5c = [signer] and <paramref name="extraMembers"/> (JSON members, comma-separated).</summary>
    public static string Header(string alg, X509Certificate2 signer, string? extraMembers = null) =>
        $"{{\"alg\":\"{alg}\",{X5c(signer)}{(extraMembers is null ? string.Empty : "," + extraMembers)}}}";

    /// <summary>Signs <paramref name="payload"/> with <paramref name="headerJson"/> and returns <c>header..signature</c>.</summary>
    public static string Sign(X509Certificate2 signer, string headerJson, byte[]? payload = null, bool encodePayload = true, bool derEcdsa = false) =>
        SignHeaderBytes(signer, Encoding.UTF8.GetBytes(headerJson), payload, encodePayload, derEcdsa);

    public static string SignHeaderBytes(X509Certificate2 signer, byte[] headerBytes, byte[]? payload = null, bool encodePayload = true, bool derEcdsa = false)
    {
        var protectedHeader = Base64Url.EncodeToString(headerBytes);
        var body = payload ?? Payload;
        var signingInput = Encoding.ASCII.GetBytes(protectedHeader + ".")
            .Concat(encodePayload ? Encoding.ASCII.GetBytes(Base64Url.EncodeToString(body)) : body)
            .ToArray();
        var alg = System.Text.Json.JsonDocument.Parse(headerBytes).RootElement.GetProperty("alg").GetString()!;
        return protectedHeader + ".." + Base64Url.EncodeToString(SignValue(signer, alg, signingInput, derEcdsa));
    }

    private static byte[] SignValue(X509Certificate2 signer, string alg, byte[] input, bool derEcdsa)
    {
        var hash = alg[2..] switch
        {
            "384" => HashAlgorithmName.SHA384,
            "512" => HashAlgorithmName.SHA512,
            _ => HashAlgorithmName.SHA256,
        };
        if (alg.StartsWith("ES", StringComparison.Ordinal))
        {
            using var ecdsa = signer.GetECDsaPrivateKey()!;
            return ecdsa.SignData(input, hash, derEcdsa ? DSASignatureFormat.Rfc3279DerSequence : DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        }

        if (alg.StartsWith("HS", StringComparison.Ordinal))
        {
            // The attack HS256 enables: the certificate's public key bytes used as the HMAC secret.
            return HMACSHA256.HashData(signer.PublicKey.EncodedKeyValue.RawData, input);
        }

        using var rsa = signer.GetRSAPrivateKey()!;
        return rsa.SignData(input, hash, alg.StartsWith("PS", StringComparison.Ordinal) ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1);
    }
}
