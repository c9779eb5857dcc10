using System.Xml;

namespace Pec.Signing.Verification.Xml;

/// <summary>
/// Every identifier of the document, from attributes whose local name is <c>id</c> in any case (<c>Id</c>, <c>ID</c>,
/// <c>id</c>) and any namespace (<c>xml:id</c>, <c>wsu:Id</c>). Without a DTD or schema nothing says which attribute
/// is an ID, and XML-DSig implementations disagree on the spelling they look for; requiring every value to be unique
/// across all spellings means that <c>#value</c> designates the same element for every implementation.
/// </summary>
internal sealed class IdIndex
{
    /// <summary>
    /// Maximum element depth. Canonicalization and node copying recurse over the tree, so a deeper document
    /// could exhaust the stack; real payloads stay far below this.
    /// </summary>
    public const int MaxDepth = 256;

    private readonly Dictionary<string, XmlElement> _elements;

    private IdIndex(Dictionary<string, XmlElement> elements)
    {
        _elements = elements;
    }

    /// <exception cref="SignatureRejection"><c>duplicate-id</c>, or <c>malformed-xml</c> for a document nested too deep.</exception>
    public static IdIndex Build(XmlDocument document)
    {
        var elements = new Dictionary<string, XmlElement>(StringComparer.Ordinal);
        if (document.DocumentElement is not { } root)
        {
            return new IdIndex(elements);
        }

        // Iterative walk: the depth check has to run before anything recursive touches the tree.
        var pending = new Stack<(XmlElement Element, int Depth)>();
        pending.Push((root, 1));
        while (pending.Count > 0)
        {
            var (element, depth) = pending.Pop();
            if (depth > MaxDepth)
            {
                throw new SignatureRejection(
                    SignatureReasons.MalformedXml, $"The document nests elements deeper than {MaxDepth} levels.");
            }

            foreach (XmlAttribute attribute in element.Attributes)
            {
                if (IsIdAttribute(attribute))
                {
                    Register(elements, attribute, element);
                }
            }

            for (var child = element.LastChild; child is not null; child = child.PreviousSibling)
            {
                if (child is XmlElement childElement)
                {
                    pending.Push((childElement, depth + 1));
                }
            }
        }

        return new IdIndex(elements);
    }

    /// <summary>The element carrying <paramref name="id"/>, or null.</summary>
    public XmlElement? Find(string id) => _elements.GetValueOrDefault(id);

    private static bool IsIdAttribute(XmlAttribute attribute) =>
        string.Equals(attribute.LocalName, "id", StringComparison.OrdinalIgnoreCase)
        && !string.Equals(attribute.NamespaceURI, XmlNamespaces.Xmlns, StringComparison.Ordinal);

    private static void Register(Dictionary<string, XmlElement> elements, XmlAttribute attribute, XmlElement element)
    {
        var value = attribute.Value;
        if (elements.TryGetValue(value, out var existing))
        {
            // The same element may spell its id twice (Id="a" ID="a"); it still designates one element.
            if (!ReferenceEquals(existing, element))
            {
                throw new SignatureRejection(
                    SignatureReasons.DuplicateId,
                    $"The identifier '{value}' is carried by two elements (<{existing.Name}> and <{element.Name}>, attribute {attribute.Name}).");
            }

            return;
        }

        elements.Add(value, element);
    }
}
