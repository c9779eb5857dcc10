using System.Text;
using System.Xml;
using Pec.Signing.Receipts;

namespace Pec.Signing.Verification.Xml;

/// <summary>
/// Parses a payload with DTDs prohibited and no resolver (<see cref="SecureXml"/>), keeping whitespace, comments and
/// processing instructions exactly as they are so that digests can be recomputed.
/// </summary>
internal static class HardenedXmlLoader
{
    // "<!DOCTYPE" as it appears in ASCII-compatible encodings and in UTF-16, the encodings XmlReader detects.
    private static readonly byte[] DoctypeAscii = Encoding.ASCII.GetBytes("<!DOCTYPE");
    private static readonly byte[] DoctypeUtf16Le = Encoding.Unicode.GetBytes("<!DOCTYPE");
    private static readonly byte[] DoctypeUtf16Be = Encoding.BigEndianUnicode.GetBytes("<!DOCTYPE");

    /// <exception cref="SignatureRejection"><c>dtd-forbidden</c> or <c>malformed-xml</c>.</exception>
    public static XmlDocument Load(byte[] xml)
    {
        try
        {
            using var input = new MemoryStream(xml, writable: false);
            return SecureXml.Load(input);
        }
        catch (XmlException ex)
        {
            // XmlReader reports a prohibited DTD with the same exception type as any syntax error. A document that
            // failed to parse and spells a DOCTYPE anywhere is reported as a DTD; the payload is rejected either way.
            if (ContainsDoctype(xml))
            {
                throw new SignatureRejection(
                    SignatureReasons.DtdForbidden,
                    "The document contains a document type declaration (DOCTYPE); DTDs are prohibited.");
            }

            throw new SignatureRejection(SignatureReasons.MalformedXml, $"The document is not well-formed XML: {ex.Message}");
        }
    }

    private static bool ContainsDoctype(ReadOnlySpan<byte> xml) =>
        xml.IndexOf(DoctypeAscii) >= 0 || xml.IndexOf(DoctypeUtf16Le) >= 0 || xml.IndexOf(DoctypeUtf16Be) >= 0;
}
