using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Xml;
using Pec.Signing.Verification.Dsig;
using Pec.Signing.Verification.Xml;

namespace Pec.Signing.Verification.Xades;

/// <summary>Reads XAdES SignedProperties and checks its SigningCertificate binding.</summary>
internal static class XadesReader
{
    /// <summary>Reads a SignedProperties element whose reference digest has already been verified.</summary>
    /// <exception cref="SignatureRejection"><c>unsupported-signature</c> for an unreadable SigningTime.</exception>
    public static XadesProperties Read(XmlElement signedProperties)
    {
        var signatureProperties = Children(signedProperties, "SignedSignatureProperties").SingleOrDefault();
        if (signatureProperties is null)
        {
            return new XadesProperties(null, []);
        }

        var signingTimes = Children(signatureProperties, "SigningTime").ToList();
        if (signingTimes.Count > 1)
        {
            throw new SignatureRejection(SignatureReasons.UnsupportedSignature, "SignedSignatureProperties has more than one SigningTime.");
        }

        DateTimeOffset? signingTime = signingTimes.Count == 1 ? ParseDateTime(signingTimes[0].InnerText) : null;

        var digests = Children(signatureProperties, "SigningCertificate")
            .Concat(Children(signatureProperties, "SigningCertificateV2"))
            .SelectMany(signingCertificate => Children(signingCertificate, "Cert"))
            .SelectMany(cert => Children(cert, "CertDigest"))
            .Select(ReadCertDigest)
            .ToList();
        return new XadesProperties(signingTime, digests);
    }

    /// <summary>
    /// Requires that one CertDigest entry matches the signer certificate, when the properties carry any. Entries may
    /// also name the issuing CAs, so a match on any entry is enough. IssuerSerial is not compared: the digest already
    /// names the certificate, and distinguished-name strings have several valid spellings.
    /// </summary>
    /// <exception cref="SignatureRejection"><c>signing-certificate-mismatch</c>, <c>weak-algorithm</c> or <c>unsupported-signature</c>.</exception>
    public static void CheckSigningCertificate(XadesProperties properties, X509Certificate2 signer)
    {
        if (properties.CertificateDigests.Count == 0)
        {
            return;
        }

        var matches = false;
        foreach (var entry in properties.CertificateDigests)
        {
            var hash = DsigAlgorithms.GetCertificateDigestMethod(entry.DigestMethod);
            var expected = TryDecode(entry.DigestValueText);
            var actual = CryptographicOperations.HashData(hash, signer.RawData);
            matches |= expected is not null && CryptographicOperations.FixedTimeEquals(actual, expected);
        }

        if (!matches)
        {
            throw new SignatureRejection(
                SignatureReasons.SigningCertificateMismatch,
                $"No XAdES SigningCertificate digest matches the certificate that verified the signature ('{signer.Subject}').");
        }
    }

    private static XadesCertificateDigest ReadCertDigest(XmlElement certDigest)
    {
        var method = certDigest.ChildNodes.OfType<XmlElement>()
            .FirstOrDefault(e => e.LocalName == "DigestMethod" && e.NamespaceURI == XmlNamespaces.Dsig);
        var value = certDigest.ChildNodes.OfType<XmlElement>()
            .FirstOrDefault(e => e.LocalName == "DigestValue" && e.NamespaceURI == XmlNamespaces.Dsig);
        if (method is null || value is null)
        {
            throw new SignatureRejection(SignatureReasons.UnsupportedSignature, "A XAdES CertDigest lacks ds:DigestMethod or ds:DigestValue.");
        }

        return new XadesCertificateDigest(method.GetAttribute("Algorithm"), value.InnerText);
    }

    private static DateTimeOffset ParseDateTime(string text)
    {
        try
        {
            // xs:dateTime; a value without a time zone is taken as UTC rather than as the server's local time.
            var value = XmlConvert.ToDateTime(text.Trim(), XmlDateTimeSerializationMode.RoundtripKind);
            return value.Kind == DateTimeKind.Unspecified
                ? new DateTimeOffset(DateTime.SpecifyKind(value, DateTimeKind.Utc))
                : new DateTimeOffset(value).ToUniversalTime();
        }
        catch (FormatException)
        {
            throw new SignatureRejection(SignatureReasons.UnsupportedSignature, $"The XAdES SigningTime '{text}' is not an xs:dateTime.");
        }
    }

    private static byte[]? TryDecode(string base64)
    {
        try
        {
            return Convert.FromBase64String(base64);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static IEnumerable<XmlElement> Children(XmlElement parent, string localName) =>
        parent.ChildNodes.OfType<XmlElement>().Where(e => e.LocalName == localName && e.NamespaceURI == XmlNamespaces.Xades132);
}
