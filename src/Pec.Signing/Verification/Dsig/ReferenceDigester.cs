using System.Security.Cryptography;
using System.Security.Cryptography.Xml;
using System.Xml;
using Pec.Signing.Verification.Xml;

namespace Pec.Signing.Verification.Dsig;

/// <summary>
/// Recomputes the digest of a checked reference. The work happens on a detached copy of the target, so that what
/// the caller later receives as signed is exactly what was digested.
/// </summary>
internal static class ReferenceDigester
{
    /// <exception cref="SignatureRejection"><c>digest-mismatch</c>.</exception>
    public static SignedReference Digest(ReferencePlan plan, XmlElement signatureElement)
    {
        if (plan.Payload is not null)
        {
            return DigestPayload(plan, plan.Payload);
        }

        var copy = plan.Target is XmlElement element ? CopyElement(element) : CopyDocument((XmlDocument)plan.Target);
        if (plan.Enveloped)
        {
            RemoveCopyOf(signatureElement, plan.Target, copy);
        }

        RemoveComments(copy);

        var octets = plan.Base64 ? DecodeBase64(copy, plan.Reference) : Canonicalize(copy, plan.Canonicalization);
        var expected = DecodeDigestValue(plan.Reference);
        var actual = CryptographicOperations.HashData(plan.Hash, octets);
        if (!CryptographicOperations.FixedTimeEquals(actual, expected))
        {
            throw new SignatureRejection(
                SignatureReasons.DigestMismatch,
                $"The digest of {plan.Reference.Describe()} does not match its DigestValue: the content was changed after signing.");
        }

        var reference = plan.Reference;
        return new SignedReference(
            reference.Id,
            reference.Uri!,
            reference.Type,
            reference.DigestMethod,
            plan.IsWholeDocument,
            plan.Base64 ? null : copy.DocumentElement,
            octets);
    }

    /// <summary>
    /// Digests the payload of a detached signature: its raw bytes without a transform, otherwise its canonical form.
    /// XML-DSig parses an external octet stream into a node-set with its comments, so the C14N variant decides
    /// whether comments are digested.
    /// </summary>
    private static SignedReference DigestPayload(ReferencePlan plan, DetachedPayload payload)
    {
        var copy = CopyDocument(payload.Document);
        var octets = plan.Canonicalization is null ? payload.Bytes : Canonicalize(copy, plan.Canonicalization);
        var expected = DecodeDigestValue(plan.Reference);
        var actual = CryptographicOperations.HashData(plan.Hash, octets);
        if (!CryptographicOperations.FixedTimeEquals(actual, expected))
        {
            throw new SignatureRejection(
                SignatureReasons.DigestMismatch,
                $"The digest of the detached payload ({plan.Reference.Describe()}) does not match its DigestValue: the payload was changed after signing.");
        }

        var reference = plan.Reference;
        return new SignedReference(
            reference.Id, reference.Uri!, reference.Type, reference.DigestMethod, isWholeDocument: true, copy.DocumentElement, octets);
    }

    /// <summary>
    /// Canonicalizes a detached copy of <paramref name="element"/> the way <see cref="SignedXml"/> prepares a
    /// same-document reference: the namespace declarations in scope at the element are copied onto it, so that the
    /// canonical form can still output the ones the content uses.
    /// </summary>
    public static byte[] CanonicalizeElement(XmlElement element, DsigTransform canonicalization)
    {
        var copy = CopyElement(element);
        return Canonicalize(copy, canonicalization);
    }

    private static byte[] Canonicalize(XmlDocument copy, DsigTransform? canonicalization)
    {
        // Without an explicit C14N, XML-DSig converts the node-set to octets with inclusive C14N.
        Transform transform = canonicalization?.Algorithm switch
        {
            DsigAlgorithms.ExclusiveC14N or DsigAlgorithms.ExclusiveC14NWithComments =>
                string.IsNullOrEmpty(canonicalization.InclusivePrefixList)
                    ? new XmlDsigExcC14NTransform(canonicalization.Algorithm == DsigAlgorithms.ExclusiveC14NWithComments)
                    : new XmlDsigExcC14NTransform(
                        canonicalization.Algorithm == DsigAlgorithms.ExclusiveC14NWithComments, canonicalization.InclusivePrefixList),
            DsigAlgorithms.InclusiveC14NWithComments => new XmlDsigC14NTransform(includeComments: true),
            _ => new XmlDsigC14NTransform(includeComments: false),
        };

        // No resolver: the copy has no DTD or entity to resolve, and nothing may be fetched.
        transform.Resolver = null!;
        transform.LoadInput(copy);
        using var output = (Stream)transform.GetOutput(typeof(Stream));
        using var buffer = new MemoryStream();
        output.CopyTo(buffer);
        return buffer.ToArray();
    }

    private static byte[] DecodeBase64(XmlDocument copy, DsigReference reference)
    {
        // The base64 transform decodes the string value of the text nodes; whitespace is ignored by the decoder.
        try
        {
            return Convert.FromBase64String(copy.DocumentElement!.InnerText);
        }
        catch (FormatException)
        {
            throw new SignatureRejection(
                SignatureReasons.DigestMismatch, $"The content of {reference.Describe()} is not valid base64, so its digest cannot match.");
        }
    }

    private static byte[] DecodeDigestValue(DsigReference reference)
    {
        try
        {
            return Convert.FromBase64String(reference.DigestValueText);
        }
        catch (FormatException)
        {
            throw new SignatureRejection(
                SignatureReasons.DigestMismatch, $"The DigestValue of {reference.Describe()} is not valid base64, so no digest can match it.");
        }
    }

    private static XmlDocument CopyDocument(XmlDocument source)
    {
        var copy = NewDocument();
        foreach (XmlNode child in source.ChildNodes)
        {
            copy.AppendChild(copy.ImportNode(child, deep: true));
        }

        return copy;
    }

    private static XmlDocument CopyElement(XmlElement element)
    {
        var copy = NewDocument();
        var root = (XmlElement)copy.AppendChild(copy.ImportNode(element, deep: true))!;

        // Nearest ancestor first, so that a redeclared prefix keeps its innermost binding.
        // NOTE: inherited xml:lang, xml:space and xml:base are not copied, as in SignedXml. Inclusive C14N of an #id
        // target under such an attribute then differs from xmlsec1's output, which rejects a valid signature (never
        // accepts a bad one).
        for (var ancestor = element.ParentNode as XmlElement; ancestor is not null; ancestor = ancestor.ParentNode as XmlElement)
        {
            foreach (XmlAttribute attribute in ancestor.Attributes)
            {
                if (attribute.NamespaceURI == XmlNamespaces.Xmlns && !root.HasAttribute(attribute.Name))
                {
                    root.SetAttributeNode((XmlAttribute)copy.ImportNode(attribute, deep: true));
                }
            }
        }

        return copy;
    }

    /// <summary>Removes from <paramref name="copy"/> the node at the same position as <paramref name="original"/> under <paramref name="originalRoot"/>.</summary>
    private static void RemoveCopyOf(XmlNode original, XmlNode originalRoot, XmlDocument copy)
    {
        var path = new Stack<int>();
        for (var node = original; !ReferenceEquals(node, originalRoot); node = node.ParentNode!)
        {
            path.Push(IndexInParent(node));
        }

        XmlNode current = originalRoot is XmlDocument ? copy : copy.DocumentElement!;
        while (path.Count > 0)
        {
            current = current.ChildNodes[path.Pop()]!;
        }

        current.ParentNode!.RemoveChild(current);
    }

    private static int IndexInParent(XmlNode node)
    {
        var index = 0;
        for (var sibling = node.PreviousSibling; sibling is not null; sibling = sibling.PreviousSibling)
        {
            index++;
        }

        return index;
    }

    private static void RemoveComments(XmlDocument copy)
    {
        var comments = new List<XmlNode>();
        var pending = new Stack<XmlNode>();
        pending.Push(copy);
        while (pending.Count > 0)
        {
            var node = pending.Pop();
            if (node is XmlComment)
            {
                comments.Add(node);
                continue;
            }

            for (var child = node.FirstChild; child is not null; child = child.NextSibling)
            {
                pending.Push(child);
            }
        }

        foreach (var comment in comments)
        {
            comment.ParentNode!.RemoveChild(comment);
        }
    }

    private static XmlDocument NewDocument() => new() { PreserveWhitespace = true, XmlResolver = null };
}
