using System.Buffers.Text;

namespace Pec.Signing.Verification.Jws;

/// <summary>Decodes base64url as RFC 7515 section 2 defines it: URL alphabet, no padding, no whitespace.</summary>
internal static class Base64UrlStrict
{
    /// <exception cref="SignatureRejection"><c>malformed-signature</c>, naming <paramref name="part"/>.</exception>
    public static byte[] Decode(ReadOnlySpan<char> text, string part)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not '-' and not '_')
            {
                throw new SignatureRejection(
                    SignatureReasons.MalformedSignature, $"The JWS {part} is not base64url: it contains '{c}' (padding and whitespace are not allowed).");
            }
        }

        if (text.Length % 4 == 1)
        {
            throw new SignatureRejection(SignatureReasons.MalformedSignature, $"The JWS {part} has an invalid base64url length ({text.Length}).");
        }

        try
        {
            return Base64Url.DecodeFromChars(text);
        }
        catch (FormatException ex)
        {
            throw new SignatureRejection(SignatureReasons.MalformedSignature, $"The JWS {part} is not base64url: {ex.Message}");
        }
    }
}
