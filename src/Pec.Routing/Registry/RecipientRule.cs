using System.Text.Json.Serialization;

namespace Pec.Routing.Registry;

/// <summary>
/// A rule that derives a flow's recipients from its payload: the path selects values in the
/// document, and each value, trimmed, is looked up among the administrations' routing codes of
/// kind <see cref="Code"/> (for example the INSEE code of a commune). Exactly one of
/// <see cref="XPath"/> and <see cref="JsonPath"/> is set.
/// </summary>
/// <param name="XPath">An XPath 1.0 expression that returns a node set, evaluated on XML payloads.</param>
/// <param name="JsonPath">A path in the subset that <see cref="JsonPathExpression"/> supports, evaluated on JSON payloads.</param>
/// <param name="Code">The kind of routing code the selected values are, one of <see cref="RoutingCodeKinds.All"/>.</param>
/// <param name="Namespaces">Prefixes the XPath expression uses, mapped to their namespace URIs; unprefixed names match elements in no namespace, as XPath 1.0 defines.</param>
public sealed record RecipientRule(
    [property: JsonPropertyName("xpath")] string? XPath,
    [property: JsonPropertyName("jsonPath")] string? JsonPath,
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("namespaces")] IReadOnlyDictionary<string, string>? Namespaces = null)
{
    /// <summary>The rule as operators wrote it, for messages: <c>xpath /a/b (insee)</c>.</summary>
    public string Describe() =>
        XPath is not null ? $"xpath {XPath} ({Code})" : $"jsonPath {JsonPath} ({Code})";
}
