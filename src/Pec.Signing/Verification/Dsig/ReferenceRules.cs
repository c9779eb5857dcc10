using System.Xml;
using Pec.Signing.Verification.Xml;

namespace Pec.Signing.Verification.Dsig;

/// <summary>
/// Checks a reference before anything is digested: same-document URI, allow-listed transforms in an accepted order,
/// accepted digest, and a target in the place the signature's structure expects.
/// </summary>
internal static class ReferenceRules
{
    private const string XPath = "http://www.w3.org/TR/1999/REC-xpath-19991116";
    private const string XPathFilter2 = "http://www.w3.org/2002/06/xmldsig-filter2";
    private const string Xslt = "http://www.w3.org/TR/1999/REC-xslt-19991116";

    /// <summary>Checks the reference URI without looking at the document.</summary>
    /// <exception cref="SignatureRejection"><c>external-reference</c>, <c>forbidden-transform</c>, <c>weak-algorithm</c> or <c>unsupported-signature</c>.</exception>
    public static void CheckUri(DsigReference reference)
    {
        if (reference.Uri is null)
        {
            throw new SignatureRejection(
                SignatureReasons.ExternalReference, "A Reference has no URI attribute; only URI=\"\" and URI=\"#id\" are accepted.");
        }

        if (reference.Uri.Length > 0 && !IsBareNameFragment(reference.Uri))
        {
            throw new SignatureRejection(
                SignatureReasons.ExternalReference,
                $"{reference.Describe()} is refused; only URI=\"\" and URI=\"#id\" (same document) are accepted and nothing is ever fetched.");
        }
    }

    /// <summary>
    /// True when <paramref name="uri"/> is a bare file name that a detached signature may use for its payload: letters,
    /// digits, '.', '_' and '-' only, at most 255 characters, not "." or "..". This excludes schemes (':'), paths
    /// ('/', '\'), fragments, queries and percent-encoding, so nothing but the in-memory payload can match.
    /// </summary>
    public static bool IsPayloadFileName(string? uri)
    {
        if (string.IsNullOrEmpty(uri) || uri.Length > 255 || uri is "." or "..")
        {
            return false;
        }

        foreach (var character in uri)
        {
            if (!(char.IsAsciiLetterOrDigit(character) || character is '.' or '_' or '-'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Checks the payload reference of a detached signature: no transform, or exactly one C14N.</summary>
    /// <exception cref="SignatureRejection"><c>forbidden-transform</c>.</exception>
    public static DsigTransform? CheckPayloadTransforms(DsigReference reference)
    {
        var transforms = reference.Transforms;
        if (transforms.Count == 0)
        {
            return null;
        }

        if (transforms.Count == 1 && DsigAlgorithms.IsCanonicalization(transforms[0].Algorithm))
        {
            return transforms[0];
        }

        var chain = string.Join(", ", transforms.Select(t => Describe(t.Algorithm)));
        throw new SignatureRejection(
            SignatureReasons.ForbiddenTransform,
            $"{reference.Describe()} designates the detached payload with the transform chain [{chain}]; accepted are no transform or one C14N.");
    }

    /// <summary>
    /// Rejects comments inside the payload's document element when the payload is canonicalized, for the reason
    /// given at <see cref="CheckNoComments"/>. Raw payload bytes are digested with their comments, so they need no check.
    /// </summary>
    public static void CheckPayloadComments(XmlDocument payload, DsigReference reference) =>
        CheckNoComments(payload.DocumentElement!, null, reference);

    /// <summary>
    /// Checks the transform chain. Accepted shapes: [enveloped-signature] [one C14N], or base64 alone. Comment-keeping
    /// C14N variants are accepted but change nothing here: for URI="" and URI="#id" XML-DSig removes the comments
    /// before the first transform, so they never reach the digest.
    /// </summary>
    /// <exception cref="SignatureRejection"><c>forbidden-transform</c>.</exception>
    public static (bool Enveloped, DsigTransform? Canonicalization, bool Base64) CheckTransforms(DsigReference reference)
    {
        foreach (var transform in reference.Transforms)
        {
            if (!IsAllowed(transform.Algorithm))
            {
                throw new SignatureRejection(
                    SignatureReasons.ForbiddenTransform,
                    $"{reference.Describe()} uses the transform {Describe(transform.Algorithm)}, which is refused; accepted are " +
                    "enveloped-signature, inclusive and exclusive C14N (with or without comments) and base64.");
            }
        }

        var transforms = reference.Transforms;
        if (transforms.Count == 1 && transforms[0].Algorithm == DsigAlgorithms.Base64)
        {
            return (false, null, true);
        }

        var position = 0;
        var enveloped = false;
        if (position < transforms.Count && transforms[position].Algorithm == DsigAlgorithms.EnvelopedSignature)
        {
            enveloped = true;
            position++;
        }

        DsigTransform? canonicalization = null;
        if (position < transforms.Count && DsigAlgorithms.IsCanonicalization(transforms[position].Algorithm))
        {
            canonicalization = transforms[position];
            position++;
        }

        if (position < transforms.Count)
        {
            var chain = string.Join(", ", transforms.Select(t => Describe(t.Algorithm)));
            throw new SignatureRejection(
                SignatureReasons.ForbiddenTransform,
                $"{reference.Describe()} has the transform chain [{chain}]; accepted are [enveloped-signature] [one C14N], or base64 alone.");
        }

        return (enveloped, canonicalization, false);
    }

    /// <summary>Resolves the target and checks where it sits.</summary>
    /// <exception cref="SignatureRejection"><c>digest-mismatch</c> for a missing target, <c>wrapping</c> for a misplaced one.</exception>
    public static XmlNode ResolveTarget(DsigReference reference, DsigSignature signature, IdIndex ids, bool enveloped)
    {
        if (reference.Uri!.Length == 0)
        {
            var document = signature.Element.OwnerDocument;
            if (enveloped && ReferenceEquals(document.DocumentElement, signature.Element))
            {
                // The enveloped transform would remove the whole document: the digest covers nothing, and whatever
                // sits in the signature's ds:Object elements could be presented as signed.
                throw new SignatureRejection(
                    SignatureReasons.Wrapping,
                    $"{reference.Describe()} uses the enveloped-signature transform on a document whose root is the signature itself, so it covers nothing.");
            }

            CheckNoComments(document.DocumentElement!, enveloped ? signature.Element : null, reference);
            return document;
        }

        var id = reference.Uri[1..];
        var target = ids.Find(id) ?? throw new SignatureRejection(
            SignatureReasons.DigestMismatch, $"{reference.Describe()} designates no element: no Id, ID or id attribute has the value '{id}'.");

        if (enveloped && !IsInside(signature.Element, target))
        {
            throw new SignatureRejection(
                SignatureReasons.Wrapping,
                $"{reference.Describe()} uses the enveloped-signature transform, but the signature is not inside <{target.Name}>: " +
                "the signed element was moved away from its signature.");
        }

        if (IsDsig(target, "Object") && !ReferenceEquals(target.ParentNode, signature.Element))
        {
            throw new SignatureRejection(
                SignatureReasons.Wrapping,
                $"{reference.Describe()} designates a ds:Object that is not a child of this ds:Signature.");
        }

        if (reference.IsSignedProperties)
        {
            CheckSignedPropertiesPlace(reference, signature, target);
        }

        CheckNoComments(target, enveloped ? signature.Element : null, reference);
        return target;
    }

    private static void CheckSignedPropertiesPlace(DsigReference reference, DsigSignature signature, XmlElement target)
    {
        // The only place XAdES allows: ds:Signature/ds:Object/xades:QualifyingProperties/xades:SignedProperties.
        var qualifyingProperties = target.ParentNode as XmlElement;
        var inPlace = target.LocalName == "SignedProperties"
            && target.NamespaceURI == XmlNamespaces.Xades132
            && qualifyingProperties is { LocalName: "QualifyingProperties", NamespaceURI: XmlNamespaces.Xades132 }
            && qualifyingProperties.ParentNode is XmlElement objectElement
            && IsDsig(objectElement, "Object")
            && ReferenceEquals(objectElement.ParentNode, signature.Element);
        if (!inPlace)
        {
            throw new SignatureRejection(
                SignatureReasons.Wrapping,
                $"{reference.Describe()} has Type SignedProperties but designates <{target.Name}>, which is not " +
                "ds:Object/xades:QualifyingProperties/xades:SignedProperties of this signature.");
        }

        var declaredTarget = qualifyingProperties!.GetAttribute("Target");
        if (signature.Id is not null && declaredTarget != "#" + signature.Id)
        {
            throw new SignatureRejection(
                SignatureReasons.Wrapping,
                $"xades:QualifyingProperties Target=\"{declaredTarget}\" does not designate this signature (Id \"{signature.Id}\").");
        }
    }

    /// <summary>
    /// Rejects comments inside signed content. The digest never includes them (see <see cref="CheckTransforms"/>), so
    /// "admin" with an empty comment after "ad" is signed as "admin" while a reader that takes the first text node
    /// gets "ad": the comment truncation attack on signed XML. Comments outside the document element are not content and pass.
    /// </summary>
    private static void CheckNoComments(XmlElement root, XmlElement? excludedSubtree, DsigReference reference)
    {
        var pending = new Stack<XmlNode>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            var node = pending.Pop();
            if (ReferenceEquals(node, excludedSubtree))
            {
                continue;
            }

            if (node is XmlComment)
            {
                throw new SignatureRejection(
                    SignatureReasons.Wrapping,
                    $"{reference.Describe()} covers content that contains a comment; comments are invisible to the digest, " +
                    "so signed text could read differently to an application.");
            }

            for (var child = node.FirstChild; child is not null; child = child.NextSibling)
            {
                pending.Push(child);
            }
        }
    }

    private static bool IsBareNameFragment(string uri)
    {
        if (uri.Length < 2 || uri[0] != '#')
        {
            return false;
        }

        try
        {
            // "#xpointer(...)" and anything else that is not an NCName is refused.
            XmlConvert.VerifyNCName(uri[1..]);
            return true;
        }
        catch (XmlException)
        {
            return false;
        }
    }

    private static bool IsAllowed(string algorithm) =>
        algorithm is DsigAlgorithms.EnvelopedSignature or DsigAlgorithms.Base64 || DsigAlgorithms.IsCanonicalization(algorithm);

    private static string Describe(string algorithm) => algorithm switch
    {
        XPath => $"XPath ({algorithm})",
        XPathFilter2 => $"XPath Filter 2.0 ({algorithm})",
        Xslt => $"XSLT ({algorithm})",
        _ => algorithm,
    };

    private static bool IsInside(XmlNode node, XmlNode ancestor)
    {
        for (var current = node.ParentNode; current is not null; current = current.ParentNode)
        {
            if (ReferenceEquals(current, ancestor))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsDsig(XmlElement element, string localName) =>
        element.LocalName == localName && element.NamespaceURI == XmlNamespaces.Dsig;
}
