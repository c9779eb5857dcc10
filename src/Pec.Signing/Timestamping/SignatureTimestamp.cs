using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography.Xml;
using System.Xml;

namespace Pec.Signing.Timestamping;

/// <summary>
/// The XAdES SignatureTimeStamp input and check: the time-stamped data is the exclusive C14N of the
/// ds:SignatureValue element, hashed with SHA-256.
/// </summary>
internal static class SignatureTimestamp
{
    private const string Sha256Oid = "2.16.840.1.101.3.4.2.1";

    /// <summary>Returns the exclusive C14N (without comments) of <paramref name="signatureValue"/>.</summary>
    public static byte[] Canonicalize(XmlElement signatureValue)
    {
        // OuterXml declares the namespaces the element uses, and exclusive C14N renders only those,
        // so canonicalizing the element on its own gives the bytes it has inside the receipt.
        var standalone = new XmlDocument { PreserveWhitespace = true, XmlResolver = null };
        using (var reader = XmlReader.Create(
            new StringReader(signatureValue.OuterXml),
            new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null }))
        {
            standalone.Load(reader);
        }

        var transform = new XmlDsigExcC14NTransform();
        transform.LoadInput(standalone);
        using var output = (Stream)transform.GetOutput(typeof(Stream));
        using var buffer = new MemoryStream();
        output.CopyTo(buffer);
        return buffer.ToArray();
    }

    /// <summary>
    /// Returns why <paramref name="encodedToken"/> is not a valid time-stamp of <paramref name="signatureValue"/>
    /// issued by a TSA chaining to <paramref name="tsaAnchors"/>, or null and the time-stamp time.
    /// </summary>
    public static string? FindProblem(
        byte[] encodedToken, XmlElement signatureValue, X509Certificate2Collection tsaAnchors, out DateTimeOffset timestampTime)
    {
        timestampTime = default;
        if (!Rfc3161TimestampToken.TryDecode(encodedToken, out var token, out var consumed) || consumed != encodedToken.Length)
        {
            return "The SignatureTimeStamp token is not a DER RFC 3161 time-stamp token.";
        }

        return FindProblem(token, Canonicalize(signatureValue), tsaAnchors, out timestampTime);
    }

    /// <summary>Checks the imprint (SHA-256 of <paramref name="timestampedData"/>), the token signature and the TSA chain.</summary>
    public static string? FindProblem(
        Rfc3161TimestampToken token, byte[] timestampedData, X509Certificate2Collection tsaAnchors, out DateTimeOffset timestampTime)
    {
        timestampTime = token.TokenInfo.Timestamp;
        if (token.TokenInfo.HashAlgorithmId.Value != Sha256Oid)
        {
            return $"The time-stamp imprint must use SHA-256 ({Sha256Oid}), not {token.TokenInfo.HashAlgorithmId.Value}.";
        }

        try
        {
            // The certificate belongs to the token's SignedCms; it is not disposed here because the token may still be used.
            if (!token.VerifySignatureForData(timestampedData, out var tsaCertificate) || tsaCertificate is null)
            {
                return "The time-stamp does not cover this signature value, or its signature is invalid, or it does not carry the TSA certificate.";
            }

            return TsaTrust.FindChainProblem(tsaCertificate, tsaAnchors, timestampTime);
        }
        catch (CryptographicException ex)
        {
            return $"The time-stamp cannot be checked: {ex.Message}";
        }
    }
}
