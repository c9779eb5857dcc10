using System.Xml;
using System.Xml.XPath;
using Pec.Signing.Sealing;

namespace Pec.Routing.Registry;

/// <summary>
/// Checks the administrations' routing codes and the flow types' recipient rules of a registry
/// file, adding every problem to the list the <see cref="RegistryValidator"/> reports.
/// </summary>
internal static class RecipientRuleValidator
{
    // Paths are written by operators; the bound keeps them readable in problem details and logs.
    public const int MaxPathLength = 512;

    public static void Validate(RegistryFile file, List<string> errors)
    {
        var owners = ValidateCodes(file, errors);
        foreach (var flowType in file.FlowTypes)
        {
            for (var i = 0; i < flowType.RecipientRules.Count; i++)
            {
                ValidateRule(flowType, i, owners, errors);
            }
        }
    }

    // Returns, per code kind, the administrations that hold codes of that kind.
    private static Dictionary<string, HashSet<string>> ValidateCodes(RegistryFile file, List<string> errors)
    {
        var owners = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var claimed = new Dictionary<(string Kind, string Value), string>();
        foreach (var administration in file.Administrations)
        {
            foreach (var (kind, values) in administration.Codes)
            {
                if (!RoutingCodeKinds.IsKnown(kind))
                {
                    errors.Add($"Administration '{administration.Id}' has codes of unknown kind '{kind}'; expected one of {string.Join(", ", RoutingCodeKinds.All)}.");
                    continue;
                }

                owners.TryAdd(kind, new HashSet<string>(StringComparer.Ordinal));
                owners[kind].Add(administration.Id);
                foreach (var value in values)
                {
                    if (!RoutingCodeKinds.IsWellFormed(kind, value))
                    {
                        errors.Add($"Administration '{administration.Id}' has an invalid {kind} code '{value}'.");
                    }
                    else if (!claimed.TryAdd((kind, value), administration.Id) && claimed[(kind, value)] != administration.Id)
                    {
                        errors.Add($"The {kind} code '{value}' is given to both '{claimed[(kind, value)]}' and '{administration.Id}'; a code must name one administration.");
                    }
                }
            }
        }

        return owners;
    }

    private static void ValidateRule(RegistryFile.FlowTypeEntry flowType, int index, Dictionary<string, HashSet<string>> owners, List<string> errors)
    {
        var rule = flowType.RecipientRules[index];
        var name = $"Flow type '{flowType.Id}', recipient rule {index + 1}";
        if ((rule.XPath is null) == (rule.JsonPath is null))
        {
            errors.Add($"{name}: give exactly one of 'xpath' and 'jsonPath'.");
        }
        else if (rule.XPath is { } xpath)
        {
            ValidateXPath(name, xpath, rule.Namespaces, errors);
            if (!flowType.MediaTypes.Any(PayloadSealer.IsXmlMediaType))
            {
                errors.Add($"{name}: an XPath rule needs an XML media type, but the flow type accepts only {string.Join(", ", flowType.MediaTypes)}.");
            }
        }
        else
        {
            ValidateJsonPath(name, rule.JsonPath!, errors);
            if (!flowType.MediaTypes.Any(IsJsonMediaType))
            {
                errors.Add($"{name}: a JSON path rule needs a JSON media type, but the flow type accepts only {string.Join(", ", flowType.MediaTypes)}.");
            }
        }

        if (rule.JsonPath is not null && rule.Namespaces is { Count: > 0 })
        {
            errors.Add($"{name}: 'namespaces' applies to XPath rules only.");
        }

        if (!RoutingCodeKinds.IsKnown(rule.Code))
        {
            errors.Add($"{name}: code kind '{rule.Code}' is unknown; expected one of {string.Join(", ", RoutingCodeKinds.All)}.");
            return;
        }

        // A value can only resolve to an administration holding a code of that kind, and each of them must be a permitted recipient.
        var holders = owners.GetValueOrDefault(rule.Code) ?? [];
        if (holders.Count == 0)
        {
            errors.Add($"{name}: no administration has a {rule.Code} code, so the rule can resolve no recipient.");
        }

        foreach (var holder in holders.Order(StringComparer.Ordinal).Where(id => !flowType.Recipients.Contains(id, StringComparer.Ordinal)))
        {
            errors.Add($"{name}: administration '{holder}' has a {rule.Code} code but is not among the flow type's recipients.");
        }
    }

    private static void ValidateXPath(string name, string xpath, IReadOnlyDictionary<string, string>? namespaces, List<string> errors)
    {
        if (xpath.Length is 0 or > MaxPathLength)
        {
            errors.Add($"{name}: the XPath expression must have 1 to {MaxPathLength} characters.");
            return;
        }

        var resolver = new XmlNamespaceManager(new NameTable());
        foreach (var (prefix, uri) in namespaces ?? new Dictionary<string, string>())
        {
            if (!IsNcName(prefix) || prefix.StartsWith("xml", StringComparison.OrdinalIgnoreCase) || uri.Length == 0)
            {
                errors.Add($"{name}: namespace prefix '{prefix}' must be an XML name not starting with 'xml' and map to a non-empty URI.");
                return;
            }

            resolver.AddNamespace(prefix, uri);
        }

        try
        {
            var expression = XPathExpression.Compile(xpath, resolver);
            if (expression.ReturnType != XPathResultType.NodeSet)
            {
                errors.Add($"{name}: the XPath expression '{xpath}' returns a {expression.ReturnType}, not a node set.");
            }
        }
        catch (XPathException exception)
        {
            errors.Add($"{name}: the XPath expression '{xpath}' is invalid: {exception.Message}");
        }
    }

    private static void ValidateJsonPath(string name, string jsonPath, List<string> errors)
    {
        if (jsonPath.Length > MaxPathLength)
        {
            errors.Add($"{name}: the JSON path must have at most {MaxPathLength} characters.");
        }
        else if (!JsonPathExpression.TryParse(jsonPath, out _, out var error))
        {
            errors.Add($"{name}: the JSON path '{jsonPath}' is invalid or unsupported: {error}.");
        }
    }

    private static bool IsNcName(string prefix)
    {
        try
        {
            return prefix.Length > 0 && XmlConvert.VerifyNCName(prefix) == prefix;
        }
        catch (XmlException)
        {
            return false;
        }
    }

    /// <summary>True for <c>application/json</c> and the <c>+json</c> structured syntax suffix (RFC 6839).</summary>
    public static bool IsJsonMediaType(string mediaType) =>
        mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase);
}
