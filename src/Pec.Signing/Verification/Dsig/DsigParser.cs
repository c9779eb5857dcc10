using System.Xml;
using Pec.Signing.Verification.Xml;

namespace Pec.Signing.Verification.Dsig;

/// <summary>
/// Reads a <c>ds:Signature</c> element strictly: elements in schema order, nothing but whitespace between them,
/// bounded counts. Anything else is rejected before any digest or key is computed.
/// </summary>
internal static class DsigParser
{
    public const int MaxReferences = 8;

    public const int MaxTransformsPerReference = 4;

    /// <summary>KeyInfo certificates are tried one by one against the SignatureValue; the bound caps that work.</summary>
    public const int MaxKeyInfoCertificates = 16;

    /// <exception cref="SignatureRejection">The structure is invalid or exceeds a bound.</exception>
    public static DsigSignature Parse(XmlElement signature)
    {
        var children = ElementChildren(signature);
        var position = 0;

        var signedInfo = Expect(children, ref position, "SignedInfo", signature);
        var signatureValue = Expect(children, ref position, "SignatureValue", signature);
        var keyInfo = Optional(children, ref position, "KeyInfo");
        while (Optional(children, ref position, "Object") is not null)
        {
            // Objects are reached through references only; their content is checked where a reference points.
        }

        if (position < children.Count)
        {
            throw Unsupported($"unexpected element <{children[position].Name}> in ds:Signature");
        }

        var (canonicalization, signatureMethod, hasHmacOutputLength, references) = ParseSignedInfo(signedInfo);
        return new DsigSignature
        {
            Element = signature,
            Id = AttributeOrNull(signature, "Id"),
            SignedInfo = signedInfo,
            Canonicalization = canonicalization,
            SignatureMethod = signatureMethod,
            HasHmacOutputLength = hasHmacOutputLength,
            References = references,
            SignatureValueText = TextContent(signatureValue),
            Certificates = keyInfo is null ? [] : ParseCertificates(keyInfo),
        };
    }

    private static (DsigTransform, string, bool, IReadOnlyList<DsigReference>) ParseSignedInfo(XmlElement signedInfo)
    {
        var children = ElementChildren(signedInfo);
        var position = 0;
        var canonicalizationElement = Expect(children, ref position, "CanonicalizationMethod", signedInfo);
        var canonicalization = ParseTransform(canonicalizationElement);

        var signatureMethodElement = Expect(children, ref position, "SignatureMethod", signedInfo);
        var signatureMethod = RequiredAttribute(signatureMethodElement, "Algorithm");
        var hasHmacOutputLength = false;
        foreach (var parameter in ElementChildren(signatureMethodElement))
        {
            hasHmacOutputLength |= IsDsig(parameter, "HMACOutputLength");
        }

        var referenceElements = new List<XmlElement>();
        while (Optional(children, ref position, "Reference") is { } referenceElement)
        {
            referenceElements.Add(referenceElement);
        }

        if (position < children.Count)
        {
            throw Unsupported($"unexpected element <{children[position].Name}> in ds:SignedInfo");
        }

        if (referenceElements.Count == 0)
        {
            throw Unsupported("ds:SignedInfo has no ds:Reference");
        }

        if (referenceElements.Count > MaxReferences)
        {
            throw new SignatureRejection(
                SignatureReasons.TooManyReferences,
                $"ds:SignedInfo has {referenceElements.Count} references; at most {MaxReferences} are accepted.");
        }

        return (canonicalization, signatureMethod, hasHmacOutputLength, referenceElements.Select(ParseReference).ToList());
    }

    private static DsigReference ParseReference(XmlElement reference)
    {
        var children = ElementChildren(reference);
        var position = 0;
        var transforms = new List<DsigTransform>();
        if (Optional(children, ref position, "Transforms") is { } transformsElement)
        {
            foreach (var transform in ElementChildren(transformsElement))
            {
                if (!IsDsig(transform, "Transform"))
                {
                    throw Unsupported($"unexpected element <{transform.Name}> in ds:Transforms");
                }

                transforms.Add(ParseTransform(transform));
            }

            if (transforms.Count == 0)
            {
                throw Unsupported("ds:Transforms is empty");
            }
        }

        if (transforms.Count > MaxTransformsPerReference)
        {
            throw new SignatureRejection(
                SignatureReasons.ForbiddenTransform,
                $"A reference has {transforms.Count} transforms; at most {MaxTransformsPerReference} are accepted.");
        }

        var digestMethod = Expect(children, ref position, "DigestMethod", reference);
        var digestValue = Expect(children, ref position, "DigestValue", reference);
        if (position < children.Count)
        {
            throw Unsupported($"unexpected element <{children[position].Name}> in ds:Reference");
        }

        return new DsigReference
        {
            Element = reference,
            Id = AttributeOrNull(reference, "Id"),
            Uri = AttributeOrNull(reference, "URI"),
            Type = AttributeOrNull(reference, "Type"),
            Transforms = transforms,
            DigestMethod = RequiredAttribute(digestMethod, "Algorithm"),
            DigestValueText = TextContent(digestValue),
        };
    }

    private static DsigTransform ParseTransform(XmlElement transform)
    {
        string? prefixList = null;
        foreach (var child in transform.ChildNodes.OfType<XmlElement>())
        {
            if (child.LocalName == "InclusiveNamespaces" && child.NamespaceURI == XmlNamespaces.ExclusiveC14N)
            {
                prefixList = child.GetAttribute("PrefixList");
            }
        }

        // Other children (an XPath expression, a stylesheet) belong to transforms that the allow-list refuses anyway.
        return new DsigTransform(RequiredAttribute(transform, "Algorithm"), prefixList);
    }

    private static List<byte[]> ParseCertificates(XmlElement keyInfo)
    {
        // Only X509Data/X509Certificate is used. KeyValue, X509IssuerSerial, KeyName and RetrievalMethod are ignored:
        // trust needs a certificate, and RetrievalMethod would mean fetching something.
        var certificates = new List<byte[]>();
        foreach (var data in keyInfo.ChildNodes.OfType<XmlElement>().Where(e => IsDsig(e, "X509Data")))
        {
            foreach (var certificate in data.ChildNodes.OfType<XmlElement>().Where(e => IsDsig(e, "X509Certificate")))
            {
                if (certificates.Count == MaxKeyInfoCertificates)
                {
                    throw Unsupported($"KeyInfo carries more than {MaxKeyInfoCertificates} certificates");
                }

                try
                {
                    certificates.Add(Convert.FromBase64String(TextContent(certificate)));
                }
                catch (FormatException)
                {
                    throw Unsupported("a KeyInfo X509Certificate is not valid base64");
                }
            }
        }

        return certificates;
    }

    /// <summary>Child elements; whitespace is skipped, any other node (text, comment, processing instruction) is refused.</summary>
    private static List<XmlElement> ElementChildren(XmlElement parent)
    {
        var elements = new List<XmlElement>();
        foreach (XmlNode child in parent.ChildNodes)
        {
            switch (child)
            {
                case XmlElement element:
                    elements.Add(element);
                    break;
                case XmlWhitespace or XmlSignificantWhitespace:
                    break;
                default:
                    throw Unsupported($"unexpected {child.NodeType} node in <{parent.Name}>");
            }
        }

        return elements;
    }

    private static XmlElement Expect(List<XmlElement> children, ref int position, string localName, XmlElement parent) =>
        Optional(children, ref position, localName)
            ?? throw Unsupported($"<{parent.Name}> lacks ds:{localName} at position {position + 1}");

    private static XmlElement? Optional(List<XmlElement> children, ref int position, string localName)
    {
        if (position < children.Count && IsDsig(children[position], localName))
        {
            return children[position++];
        }

        return null;
    }

    private static bool IsDsig(XmlElement element, string localName) =>
        element.LocalName == localName && element.NamespaceURI == XmlNamespaces.Dsig;

    private static string RequiredAttribute(XmlElement element, string name) =>
        AttributeOrNull(element, name) ?? throw Unsupported($"<{element.Name}> lacks the {name} attribute");

    private static string? AttributeOrNull(XmlElement element, string name) =>
        element.GetAttributeNode(name) is { } attribute ? attribute.Value : null;

    /// <summary>Text of an element that must contain only text (base64 values).</summary>
    private static string TextContent(XmlElement element)
    {
        if (element.ChildNodes.OfType<XmlNode>().Any(node => node is not (XmlText or XmlWhitespace or XmlSignificantWhitespace)))
        {
            throw Unsupported($"<{element.Name}> must contain text only");
        }

        return element.InnerText;
    }

    private static SignatureRejection Unsupported(string problem) =>
        new(SignatureReasons.UnsupportedSignature, $"The ds:Signature element is malformed: {problem}.");
}
