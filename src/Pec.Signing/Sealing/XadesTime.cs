using System.Globalization;

namespace Pec.Signing.Sealing;

/// <summary>The xs:dateTime form of XAdES SigningTime: UTC, millisecond precision, like the receipt times.</summary>
internal static class XadesTime
{
    private const string Pattern = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    public static string Format(DateTimeOffset value) =>
        value.UtcDateTime.ToString(Pattern, CultureInfo.InvariantCulture);

    /// <summary>Parses any xs:dateTime that carries a time zone (a SigningTime without one is ambiguous).</summary>
    public static bool TryParse(string text, out DateTimeOffset value)
    {
        value = default;
        var trimmed = text.Trim();
        if (!(trimmed.EndsWith('Z') || HasOffset(trimmed)))
        {
            return false;
        }

        try
        {
            value = System.Xml.XmlConvert.ToDateTimeOffset(trimmed);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static bool HasOffset(string text) =>
        text.Length > 6 && (text[^6] is '+' or '-') && text[^3] == ':';
}
