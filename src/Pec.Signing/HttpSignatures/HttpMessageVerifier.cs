using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;

namespace Pec.Signing.HttpSignatures;

/// <summary>
/// Checks the RFC 9421 signature PEC puts on a push request, for recipients written in .NET and
/// for PEC's own tests. Only PEC's profile is accepted: the <c>pec</c> label, exactly
/// <see cref="HttpSignatureBase.CoveredComponents"/>, a key id naming one of the trusted seal
/// certificates, and a creation time within the allowed skew.
/// </summary>
public static partial class HttpMessageVerifier
{
    private static readonly long MaxUnixSeconds = DateTimeOffset.MaxValue.ToUnixTimeSeconds();

    /// <summary>Returns null when the signature is valid, or the reason it is not.</summary>
    /// <param name="signatureInput">The Signature-Input header value.</param>
    /// <param name="signature">The Signature header value.</param>
    /// <param name="components">Values of the covered components as received.</param>
    /// <param name="sealCertificates">PEC's seal certificates the recipient trusts.</param>
    /// <param name="now">Current time, to check <c>created</c>.</param>
    /// <param name="maxSkew">How far <c>created</c> may be from <paramref name="now"/>.</param>
    public static string? Verify(
        string? signatureInput, string? signature, IReadOnlyDictionary<string, string> components,
        IEnumerable<X509Certificate2> sealCertificates, DateTimeOffset now, TimeSpan maxSkew)
    {
        ArgumentNullException.ThrowIfNull(sealCertificates);
        var input = InputPattern().Match(signatureInput ?? "");
        var value = SignaturePattern().Match(signature ?? "");
        if (!input.Success || !value.Success)
        {
            return "Signature-Input or Signature is missing or not PEC's profile";
        }

        // The exact serialization PEC produces: the signature covers the canonical list, so any other
        // spelling (unquoted, doubled quotes, extra spaces) is a header PEC did not write.
        if (!string.Equals(input.Groups["components"].Value, HttpSignatureBase.CoveredComponentList, StringComparison.Ordinal))
        {
            return "the signature does not cover PEC's components";
        }

        // Twelve digits can exceed DateTimeOffset's range; such a value is as far off as any.
        var seconds = long.Parse(input.Groups["created"].Value, CultureInfo.InvariantCulture);
        if (seconds > MaxUnixSeconds || (now - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() > maxSkew)
        {
            return "the signature's creation time is outside the allowed skew";
        }

        var created = DateTimeOffset.FromUnixTimeSeconds(seconds);

        var keyId = input.Groups["keyid"].Value;
        var certificate = sealCertificates.FirstOrDefault(c => Convert.ToHexStringLower(c.GetCertHash(HashAlgorithmName.SHA256)) == keyId);
        if (certificate is null)
        {
            return "the key id names no trusted seal certificate";
        }

        var algorithm = input.Groups["alg"].Value;
        var parameters = HttpSignatureBase.SignatureParams(created, keyId, algorithm);
        byte[] data;
        try
        {
            data = HttpSignatureBase.Build(components, parameters);
        }
        catch (ArgumentException exception)
        {
            return exception.Message;
        }

        // The pattern admits lengths that are not valid base64 ("A", "AAAAA==="); they are refused, not thrown.
        var encoded = value.Groups["value"].Value;
        var bytes = new byte[encoded.Length];
        if (!Convert.TryFromBase64String(encoded, bytes, out var length))
        {
            return "the signature value is not valid base64";
        }

        using AsymmetricAlgorithm? key = (AsymmetricAlgorithm?)certificate.GetRSAPublicKey() ?? certificate.GetECDsaPublicKey();
        return key is not null && HttpSignatureAlgorithms.Verify(key, algorithm, data, bytes[..length])
            ? null
            : "the signature does not match the request";
    }

    [GeneratedRegex("""^pec=\((?<components>[^)]*)\);created=(?<created>[0-9]{1,12});keyid="(?<keyid>[0-9a-f]{64})";alg="(?<alg>[a-z0-9-]{1,32})"$""")]
    private static partial Regex InputPattern();

    [GeneratedRegex("^pec=:(?<value>[A-Za-z0-9+/]{1,2000}={0,2}):$")]
    private static partial Regex SignaturePattern();
}
