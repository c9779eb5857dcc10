using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Pec.Signing.Verification.Jws;

/// <summary>
/// The members of a JWS protected header that the verifier reads. Parsing is strict: UTF-8 without byte order mark,
/// a JSON object, no member name twice in any object, and known members with their RFC 7515 types.
/// </summary>
internal sealed class JwsHeader
{
    /// <summary>Maximum number of x5c certificates, as for XML KeyInfo.</summary>
    public const int MaxCertificates = 16;

    // Header parameters this verifier understands and enforces, so they may be listed in crit: b64 (RFC 7797) and
    // the JAdES claimed signing time sigT (ETSI TS 119 182-1), which JAdES producers mark critical.
    private static readonly HashSet<string> UnderstoodCritical = new(StringComparer.Ordinal) { "b64", "sigT" };

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private JwsHeader(string algorithm, IReadOnlyList<byte[]> certificates, string? x5tS256, string? x5t, bool encodePayload, DateTimeOffset? signingTime)
    {
        Algorithm = algorithm;
        Certificates = certificates;
        CertificateSha256Thumbprint = x5tS256;
        CertificateSha1Thumbprint = x5t;
        EncodePayload = encodePayload;
        SigningTime = signingTime;
    }

    public string Algorithm { get; }

    /// <summary>DER certificates of x5c: the signer first, then chain candidates.</summary>
    public IReadOnlyList<byte[]> Certificates { get; }

    /// <summary>The <c>x5t#S256</c> value (base64url SHA-256 of the signer certificate), if present.</summary>
    public string? CertificateSha256Thumbprint { get; }

    /// <summary>The <c>x5t</c> value (base64url SHA-1 of the signer certificate), if present.</summary>
    public string? CertificateSha1Thumbprint { get; }

    /// <summary>False for RFC 7797 <c>b64:false</c>, where the signing input contains the raw payload.</summary>
    public bool EncodePayload { get; }

    /// <summary>The JAdES <c>sigT</c> when present, otherwise <c>iat</c>, otherwise null.</summary>
    public DateTimeOffset? SigningTime { get; }

    /// <exception cref="SignatureRejection"><c>malformed-signature</c>, <c>unsupported-signature</c>, <c>too-many-references</c>.</exception>
    public static JwsHeader Parse(byte[] utf8)
    {
        if (utf8.AsSpan().StartsWith("\uFEFF"u8))
        {
            throw Malformed("starts with a byte order mark");
        }

        try
        {
            StrictUtf8.GetString(utf8);
        }
        catch (DecoderFallbackException)
        {
            throw Malformed("is not valid UTF-8");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException ex)
        {
            throw Malformed($"is not valid JSON: {ex.Message}");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Malformed("is not a JSON object");
            }

            RejectDuplicateNames(root);
            return Read(root);
        }
    }

    private static JwsHeader Read(JsonElement root)
    {
        var algorithm = GetString(root, "alg") ?? throw Malformed("has no alg member");
        var certificates = ReadCertificates(root);
        var x5tS256 = GetString(root, "x5t#S256");
        var x5t = GetString(root, "x5t");

        var critical = ReadCritical(root);
        var encodePayload = true;
        if (root.TryGetProperty("b64", out var b64))
        {
            if (b64.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                throw Malformed("has a b64 member that is not a boolean");
            }

            // RFC 7797 section 6: b64 must be listed in crit, so that verifiers unaware of it fail instead of misreading the payload.
            if (!critical.Contains("b64"))
            {
                throw new SignatureRejection(SignatureReasons.UnsupportedSignature, "The JWS header has b64 without listing it in crit, which RFC 7797 requires.");
            }

            encodePayload = b64.GetBoolean();
        }

        return new JwsHeader(algorithm, certificates, x5tS256, x5t, encodePayload, ReadSigningTime(root));
    }

    private static List<byte[]> ReadCertificates(JsonElement root)
    {
        if (!root.TryGetProperty("x5c", out var x5c))
        {
            throw new SignatureRejection(
                SignatureReasons.UnsupportedSignature, "The JWS header has no x5c member; the signer must be identified by its certificate.");
        }

        if (x5c.ValueKind != JsonValueKind.Array || x5c.GetArrayLength() == 0)
        {
            throw Malformed("has an x5c member that is not a non-empty array");
        }

        if (x5c.GetArrayLength() > MaxCertificates)
        {
            throw new SignatureRejection(
                SignatureReasons.TooManyReferences, $"The JWS x5c member has {x5c.GetArrayLength()} certificates; at most {MaxCertificates} are accepted.");
        }

        var certificates = new List<byte[]>();
        foreach (var entry in x5c.EnumerateArray())
        {
            // x5c entries are standard base64 with padding (RFC 7515 section 4.1.6), unlike the other members.
            if (entry.ValueKind != JsonValueKind.String || !entry.TryGetBytesFromBase64(out var der))
            {
                throw Malformed("has an x5c entry that is not a base64 string");
            }

            certificates.Add(der);
        }

        return certificates;
    }

    private static HashSet<string> ReadCritical(JsonElement root)
    {
        var critical = new HashSet<string>(StringComparer.Ordinal);
        if (!root.TryGetProperty("crit", out var crit))
        {
            return critical;
        }

        if (crit.ValueKind != JsonValueKind.Array || crit.GetArrayLength() == 0)
        {
            throw Malformed("has a crit member that is not a non-empty array");
        }

        foreach (var entry in crit.EnumerateArray())
        {
            var name = entry.ValueKind == JsonValueKind.String ? entry.GetString()! : throw Malformed("has a crit entry that is not a string");
            if (!critical.Add(name))
            {
                throw Malformed($"lists '{name}' twice in crit");
            }

            if (!UnderstoodCritical.Contains(name))
            {
                throw new SignatureRejection(
                    SignatureReasons.UnsupportedSignature,
                    $"The JWS header marks '{name}' as critical, which this verifier does not understand; understood are {string.Join(", ", UnderstoodCritical)}.");
            }

            if (!root.TryGetProperty(name, out _))
            {
                throw Malformed($"lists '{name}' in crit but does not contain it");
            }
        }

        return critical;
    }

    private static DateTimeOffset? ReadSigningTime(JsonElement root)
    {
        if (GetString(root, "sigT") is { } sigT)
        {
            // JAdES sigT is an RFC 3339 UTC time such as 2026-12-04T10:15:00Z.
            if (!DateTimeOffset.TryParseExact(sigT, "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
            {
                throw new SignatureRejection(SignatureReasons.UnsupportedSignature, $"The JWS sigT '{sigT}' is not a UTC time of the form yyyy-MM-ddTHH:mm:ssZ.");
            }

            return time.ToUniversalTime();
        }

        if (!root.TryGetProperty("iat", out var iat))
        {
            return null;
        }

        if (iat.ValueKind != JsonValueKind.Number || !iat.TryGetInt64(out var seconds) || seconds < 0 || seconds > 253402300799)
        {
            throw new SignatureRejection(SignatureReasons.UnsupportedSignature, $"The JWS iat '{iat.GetRawText()}' is not a NumericDate in whole seconds.");
        }

        return DateTimeOffset.FromUnixTimeSeconds(seconds);
    }

    private static string? GetString(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var value))
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String ? value.GetString() : throw Malformed($"has a {name} member that is not a string");
    }

    /// <summary>
    /// Rejects an object that names a member twice, at any depth. System.Text.Json keeps duplicates and
    /// TryGetProperty returns one of them, so two readers could see different headers.
    /// </summary>
    private static void RejectDuplicateNames(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in element.EnumerateObject())
            {
                if (!names.Add(property.Name))
                {
                    throw Malformed($"contains the member '{property.Name}' twice");
                }

                RejectDuplicateNames(property.Value);
            }
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray())
            {
                RejectDuplicateNames(item);
            }
        }
    }

    private static SignatureRejection Malformed(string problem) =>
        new(SignatureReasons.MalformedSignature, $"The JWS protected header {problem}.");
}
