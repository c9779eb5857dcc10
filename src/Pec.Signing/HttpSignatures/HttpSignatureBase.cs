using System.Globalization;
using System.Text;

namespace Pec.Signing.HttpSignatures;

/// <summary>
/// Builds the signature base of RFC 9421 (HTTP Message Signatures, section 2.5) for the
/// components PEC signs on a push delivery. Signer and verifier share it, so they cannot drift.
/// </summary>
public static class HttpSignatureBase
{
    /// <summary>Label of PEC's signature in the Signature-Input and Signature headers.</summary>
    public const string Label = "pec";

    /// <summary>Components covered, in order: the method, the full target URI, then the listed header fields.</summary>
    public static readonly IReadOnlyList<string> CoveredComponents =
        ["@method", "@target-uri", "content-digest", "content-type", "pec-flow-id", "pec-flow-type", "pec-sender", "pec-recipient"];

    /// <summary>The covered components as they appear between the parentheses of Signature-Input.</summary>
    internal static readonly string CoveredComponentList = string.Join(' ', CoveredComponents.Select(c => $"\"{c}\""));

    /// <summary>The value of the Signature-Input member after <c>pec=</c>: covered components and parameters.</summary>
    public static string SignatureParams(DateTimeOffset created, string keyId, string algorithm) =>
        string.Create(CultureInfo.InvariantCulture,
            $"({CoveredComponentList});created={created.ToUnixTimeSeconds()};keyid=\"{keyId}\";alg=\"{algorithm}\"");

    /// <summary>The bytes to sign: one line per component, then the signature parameters, with no final newline.</summary>
    /// <param name="values">Component name → value (header values trimmed); every covered component must be present.</param>
    public static byte[] Build(IReadOnlyDictionary<string, string> values, string signatureParams)
    {
        ArgumentNullException.ThrowIfNull(values);
        var text = new StringBuilder();
        foreach (var component in CoveredComponents)
        {
            if (!values.TryGetValue(component, out var value))
            {
                throw new ArgumentException($"The signature base needs the component '{component}'.", nameof(values));
            }

            if (value.Contains('\n', StringComparison.Ordinal) || value.Contains('\r', StringComparison.Ordinal))
            {
                throw new ArgumentException($"The component '{component}' contains a line break.", nameof(values));
            }

            // Encoding.ASCII would turn each non-ASCII character into '?', so two different values
            // would share one signature base; HTTP field values PEC signs are ASCII.
            if (!Ascii.IsValid(value))
            {
                throw new ArgumentException($"The component '{component}' contains a non-ASCII character.", nameof(values));
            }

            text.Append('"').Append(component).Append("\": ").Append(value.Trim()).Append('\n');
        }

        text.Append("\"@signature-params\": ").Append(signatureParams);
        return Encoding.ASCII.GetBytes(text.ToString());
    }

    /// <summary>The Content-Digest value of RFC 9530 for a SHA-256 digest: <c>sha-256=:base64:</c>.</summary>
    public static string ContentDigest(ReadOnlySpan<byte> sha256) => $"sha-256=:{Convert.ToBase64String(sha256)}:";
}
