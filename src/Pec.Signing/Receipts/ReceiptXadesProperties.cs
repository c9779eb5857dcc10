using System.Security.Cryptography.Xml;
using System.Xml;
using Pec.Signing.Sealing;

namespace Pec.Signing.Receipts;

/// <summary>
/// The qualifying properties of a XAdES receipt signature, read strictly: exactly the elements the
/// signer writes (SigningTime, SigningCertificateV2 with one Cert) and, for B-T, one SignatureTimeStamp.
/// Throws <see cref="FormatException"/> with an English reason.
/// </summary>
internal sealed record ReceiptXadesProperties(
    DateTimeOffset SigningTime,
    byte[] CertificateDigest,
    byte[]? IssuerSerial,
    byte[]? SignatureTimestampToken)
{
    private const int Sha256Length = 32;

    public static ReceiptXadesProperties Read(XmlElement signature, string signedPropertiesId)
    {
        var signatureId = signature.GetAttribute(XadesNames.Id);
        RequireUniqueId(signature.OwnerDocument, signatureId);
        RequireUniqueId(signature.OwnerDocument, signedPropertiesId);

        var objects = signature.ChildNodes.OfType<XmlElement>()
            .Where(e => e.LocalName == XadesNames.Object && e.NamespaceURI == SignedXml.XmlDsigNamespaceUrl)
            .ToList();
        if (objects.Count != 1)
        {
            throw new FormatException($"A XAdES signature must carry exactly one ds:Object; found {objects.Count}.");
        }

        var qualifyingProperties = Single(objects[0], XadesNames.QualifyingProperties);
        if (qualifyingProperties.GetAttribute(XadesNames.Target) != "#" + signatureId)
        {
            throw new FormatException($"QualifyingProperties/@Target must be \"#{signatureId}\", the Id of the signature.");
        }

        var parts = Children(qualifyingProperties);
        if (parts.Count is not (1 or 2)
            || !IsXades(parts[0], XadesNames.SignedProperties)
            || (parts.Count == 2 && !IsXades(parts[1], XadesNames.UnsignedProperties)))
        {
            throw new FormatException("QualifyingProperties must contain SignedProperties, optionally followed by UnsignedProperties.");
        }

        var signedProperties = parts[0];
        if (signedProperties.GetAttribute(XadesNames.Id) != signedPropertiesId)
        {
            throw new FormatException("The SignedProperties Reference does not point to the SignedProperties of this signature.");
        }

        var signatureProperties = Single(signedProperties, XadesNames.SignedSignatureProperties);
        var signed = Children(signatureProperties);
        if (signed.Count != 2 || !IsXades(signed[0], XadesNames.SigningTime) || !IsXades(signed[1], XadesNames.SigningCertificateV2))
        {
            throw new FormatException("SignedSignatureProperties must contain exactly SigningTime then SigningCertificateV2.");
        }

        if (!XadesTime.TryParse(TextOf(signed[0]), out var signingTime))
        {
            throw new FormatException($"SigningTime '{TextOf(signed[0])}' is not an xs:dateTime with a time zone.");
        }

        var (digest, issuerSerial) = ReadCert(Single(signed[1], XadesNames.Cert));
        var token = parts.Count == 2 ? ReadSignatureTimestamp(parts[1]) : null;
        return new ReceiptXadesProperties(signingTime, digest, issuerSerial, token);
    }

    private static (byte[] Digest, byte[]? IssuerSerial) ReadCert(XmlElement cert)
    {
        var children = Children(cert);
        if (children.Count is not (1 or 2)
            || !IsXades(children[0], XadesNames.CertDigest)
            || (children.Count == 2 && !IsXades(children[1], XadesNames.IssuerSerialV2)))
        {
            throw new FormatException("SigningCertificateV2/Cert must contain CertDigest, optionally followed by IssuerSerialV2.");
        }

        var digestParts = Children(children[0]);
        if (digestParts.Count != 2 || !IsDs(digestParts[0], XadesNames.DigestMethod) || !IsDs(digestParts[1], XadesNames.DigestValue))
        {
            throw new FormatException("CertDigest must contain exactly ds:DigestMethod then ds:DigestValue.");
        }

        var algorithm = digestParts[0].GetAttribute(XadesNames.Algorithm);
        if (algorithm != XmlDsigAlgorithms.Sha256)
        {
            throw new FormatException($"The CertDigest DigestMethod must be {XmlDsigAlgorithms.Sha256}, not {algorithm}.");
        }

        var digest = Base64(digestParts[1], "CertDigest/DigestValue");
        if (digest.Length != Sha256Length)
        {
            throw new FormatException($"CertDigest/DigestValue must be a SHA-256 digest of {Sha256Length} bytes; found {digest.Length}.");
        }

        var issuerSerial = children.Count == 2 ? Base64(children[1], XadesNames.IssuerSerialV2) : null;
        return (digest, issuerSerial);
    }

    private static byte[] ReadSignatureTimestamp(XmlElement unsignedProperties)
    {
        var signatureProperties = Single(unsignedProperties, XadesNames.UnsignedSignatureProperties);
        var timestamp = Single(signatureProperties, XadesNames.SignatureTimeStamp);
        var parts = Children(timestamp);
        if (parts.Count != 2 || !IsDs(parts[0], XadesNames.CanonicalizationMethod) || !IsXades(parts[1], XadesNames.EncapsulatedTimeStamp))
        {
            throw new FormatException("SignatureTimeStamp must contain exactly ds:CanonicalizationMethod then EncapsulatedTimeStamp.");
        }

        // Without CanonicalizationMethod XAdES defaults to inclusive C14N; PEC time-stamps the exclusive form only.
        var algorithm = parts[0].GetAttribute(XadesNames.Algorithm);
        if (algorithm != XmlDsigAlgorithms.ExclusiveC14N)
        {
            throw new FormatException($"The SignatureTimeStamp CanonicalizationMethod must be {XmlDsigAlgorithms.ExclusiveC14N}, not {algorithm}.");
        }

        if (parts[1].Attributes.Count != 0)
        {
            throw new FormatException("EncapsulatedTimeStamp must carry no attributes: PEC accepts DER tokens only.");
        }

        return Base64(parts[1], XadesNames.EncapsulatedTimeStamp);
    }

    /// <summary>
    /// An Id must name one element only: SignedXml and xmlsec1 could otherwise digest different elements
    /// than the ones read here (signature wrapping).
    /// </summary>
    private static void RequireUniqueId(XmlDocument document, string id)
    {
        var count = document.SelectNodes("//*[@Id or @ID or @id]")!
            .OfType<XmlElement>()
            .Count(e => e.GetAttribute("Id") == id || e.GetAttribute("ID") == id || e.GetAttribute("id") == id);
        if (count != 1)
        {
            throw new FormatException($"The Id \"{id}\" must name exactly one element; found {count}.");
        }
    }

    private static XmlElement Single(XmlElement parent, string localName)
    {
        var children = Children(parent);
        if (children.Count != 1 || !IsXades(children[0], localName))
        {
            throw new FormatException($"{parent.LocalName} must contain exactly one {localName} element.");
        }

        return children[0];
    }

    /// <summary>
    /// The element children; whitespace is allowed between them, anything else (text, comments, processing
    /// instructions) is refused because exclusive C14N without comments would not sign comments.
    /// </summary>
    private static List<XmlElement> Children(XmlElement parent)
    {
        var elements = new List<XmlElement>();
        foreach (XmlNode node in parent.ChildNodes)
        {
            switch (node)
            {
                case XmlElement element:
                    elements.Add(element);
                    break;
                case XmlWhitespace or XmlSignificantWhitespace:
                    break;
                default:
                    throw new FormatException($"{parent.LocalName} must contain elements only; found a {node.NodeType} node.");
            }
        }

        return elements;
    }

    private static string TextOf(XmlElement element)
    {
        if (element.ChildNodes.OfType<XmlNode>().Any(n => n is not (XmlText or XmlWhitespace or XmlSignificantWhitespace)))
        {
            throw new FormatException($"{element.LocalName} must contain text only.");
        }

        return element.InnerText;
    }

    private static byte[] Base64(XmlElement element, string name)
    {
        try
        {
            return Convert.FromBase64String(TextOf(element));
        }
        catch (FormatException)
        {
            throw new FormatException($"{name} is not valid base64.");
        }
    }

    private static bool IsXades(XmlElement element, string localName) =>
        element.LocalName == localName && element.NamespaceURI == XadesNames.Namespace;

    private static bool IsDs(XmlElement element, string localName) =>
        element.LocalName == localName && element.NamespaceURI == SignedXml.XmlDsigNamespaceUrl;
}
