using System.Globalization;

namespace Pec.Signing.Receipts;

/// <summary>Names and value formats of the receipt XML (urn:pec:receipt:v1), shared by writer and reader.</summary>
internal static class ReceiptXml
{
    public const string Namespace = "urn:pec:receipt:v1";
    public const string Version = "1";
    public const string VersionAttribute = "version";

    public const string Receipt = "Receipt";
    public const string ReceiptId = "ReceiptId";
    public const string Kind = "Kind";
    public const string FlowId = "FlowId";
    public const string FlowType = "FlowType";
    public const string Sender = "Sender";
    public const string Recipients = "Recipients";
    public const string Recipient = "Recipient";
    public const string Payload = "Payload";
    public const string Sha256 = "Sha256";
    public const string Size = "Size";
    public const string MediaType = "MediaType";
    public const string EventTime = "EventTime";
    public const string IssuedAt = "IssuedAt";
    public const string Reason = "Reason";
    public const string Reply = "Reply";
    public const string PayloadSignature = "PayloadSignature";
    public const string Level = "Level";
    public const string SignatureMethod = "SignatureMethod";
    public const string SigningTime = "SigningTime";
    public const string SealCertificate = "SealCertificate";
    public const string Subject = "Subject";
    public const string Issuer = "Issuer";
    public const string SerialNumber = "SerialNumber";

    // Millisecond precision in UTC: what the contract promises, and what a round trip gives back.
    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    private const int Sha256HexLength = 64;

    /// <summary>
    /// Turns CRLF and lone CR into LF. SignedXml re-parses the document from its own serialization before
    /// canonicalizing it, and that serialization writes CR raw, so the parser folds it into LF: a CR in a value
    /// would be digested as LF by .NET and as &amp;#xD; by every other implementation (xmlsec1 included).
    /// XML parsers apply the same end-of-line normalization to raw line breaks anyway.
    /// </summary>
    public static string NormalizeLineBreaks(string value) =>
        value.Contains('\r', StringComparison.Ordinal) ? value.ReplaceLineEndings("\n") : value;

    public static string FormatGuid(Guid value) => value.ToString("D", CultureInfo.InvariantCulture);

    public static bool TryParseGuid(string text, out Guid value) => Guid.TryParseExact(text, "D", out value);

    public static string FormatTime(DateTimeOffset value) =>
        value.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);

    public static bool TryParseTime(string text, out DateTimeOffset value) =>
        DateTimeOffset.TryParseExact(
            text,
            TimeFormat,
            CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal,
            out value);

    public static string FormatSize(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static bool TryParseSize(string text, out long value) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);

    /// <summary>Returns the digest as lowercase hex, or null when it is not 64 hexadecimal digits.</summary>
    public static string? NormalizeSha256Hex(string? hex)
    {
        if (hex is null || hex.Length != Sha256HexLength || !hex.All(char.IsAsciiHexDigit))
        {
            return null;
        }

        return Convert.ToHexStringLower(Convert.FromHexString(hex));
    }

    /// <summary>True for lowercase hex of any even length (what the writer produces for hex values).</summary>
    public static bool IsLowercaseHex(string text, int? length = null) =>
        text.Length > 0
        && text.Length % 2 == 0
        && (length is null || text.Length == length)
        && text.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f');

    public static bool IsSha256Hex(string text) => IsLowercaseHex(text, Sha256HexLength);
}
