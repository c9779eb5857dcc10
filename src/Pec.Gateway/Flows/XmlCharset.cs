using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Net.Http.Headers;

namespace Pec.Gateway.Flows;

/// <summary>
/// Finds a <c>charset</c> parameter that contradicts an XML payload's own encoding. RFC 7303 gives
/// the charset parameter priority over the XML declaration, so a recipient following it would
/// decode other text than the one PEC checked and signed receipts for.
/// </summary>
internal static partial class XmlCharset
{
    private const int PrologBytes = 1024;

    /// <summary>Returns the conflicting (charset, declared encoding) pair, or null when they agree or no charset is given.</summary>
    public static async Task<(string Charset, string Declared)?> FindConflictAsync(string contentType, Stream payload, CancellationToken cancellationToken)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var parsed) || parsed.Charset.Value is not { Length: > 0 } charset)
        {
            return null;
        }

        var prolog = new byte[PrologBytes];
        var length = await payload.ReadAtLeastAsync(prolog, PrologBytes, throwOnEndOfStream: false, cancellationToken);
        var declared = DeclaredEncoding(prolog.AsSpan(0, length));
        return SameEncoding(charset.Trim('"'), declared) ? null : (charset, declared);
    }

    private static string DeclaredEncoding(ReadOnlySpan<byte> prolog)
    {
        if (prolog.StartsWith<byte>([0xFE, 0xFF]))
        {
            return "UTF-16BE";
        }

        if (prolog.StartsWith<byte>([0xFF, 0xFE]))
        {
            return "UTF-16LE";
        }

        var text = Encoding.ASCII.GetString(prolog.StartsWith<byte>([0xEF, 0xBB, 0xBF]) ? prolog[3..] : prolog);
        var match = Declaration().Match(text);

        // XML 1.0, 4.3.3: without a BOM or a declared encoding, the document is UTF-8.
        return match.Success ? match.Groups[1].Value : "UTF-8";
    }

    private static bool SameEncoding(string charset, string declared)
    {
        if (string.Equals(charset, declared, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        try
        {
            return string.Equals(Encoding.GetEncoding(charset).WebName, Encoding.GetEncoding(declared).WebName, StringComparison.OrdinalIgnoreCase);
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    [GeneratedRegex("""^\s*<\?xml[^>]*?\sencoding\s*=\s*["']([A-Za-z][A-Za-z0-9._-]*)["']""")]
    private static partial Regex Declaration();
}
