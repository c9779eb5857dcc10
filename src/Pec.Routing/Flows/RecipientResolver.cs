using System.Text.Json;
using System.Xml;
using System.Xml.XPath;
using Pec.Routing.Registry;
using Pec.Signing.Sealing;

namespace Pec.Routing.Flows;

/// <summary>
/// Derives a flow's recipients from its payload. Each rule that reads the payload's format (XPath
/// for XML, JSON path for JSON) selects values, which are trimmed; empty ones are skipped. Every
/// other value must be an administration's routing code of the rule's kind. The recipients are
/// the union over all rules, so one document can fan out to several administrations.
/// </summary>
internal static class RecipientResolver
{
    /// <summary>Maximum nesting of a JSON payload; deeper documents are unreadable.</summary>
    public const int MaxJsonDepth = 64;

    // Codes of every known kind are at most 14 characters: a longer value cannot match, so it is not looked up.
    private const int MaxCodeLength = 32;

    /// <summary>Maps each of <c>codes</c> that is a registered code of <c>kind</c> to that administration's id.</summary>
    public delegate Task<IReadOnlyDictionary<string, string>> CodeLookup(string kind, IReadOnlyCollection<string> codes, CancellationToken cancellationToken);

    public static async Task<RecipientResolution> ResolveAsync(
        IReadOnlyList<RecipientRule> rules, string mediaType, Stream payload, CodeLookup lookup, int maxRecipients, CancellationToken cancellationToken)
    {
        var applicable = rules.Where(rule => Reads(rule, mediaType)).ToList();
        if (applicable.Count == 0)
        {
            return new RecipientResolution.NoApplicableRule(mediaType);
        }

        // Parsing and XPath evaluation are synchronous; a large document must not hold a request thread.
        var selection = await Task.Run(() => Select(applicable, mediaType, payload, maxRecipients), cancellationToken);
        if (selection.Failure is { } failure)
        {
            return failure;
        }

        var values = selection.Values;
        if (values.Count == 0)
        {
            return new RecipientResolution.NoValue(applicable);
        }

        if (values.FirstOrDefault(v => v.Value.Length > MaxCodeLength) is { Rule: not null } tooLong)
        {
            return new RecipientResolution.UnknownCode(tooLong.Rule, tooLong.Value);
        }

        var owners = new Dictionary<(string Kind, string Code), string>();
        foreach (var group in values.GroupBy(v => v.Rule.Code, StringComparer.Ordinal))
        {
            var found = await lookup(group.Key, [.. group.Select(v => v.Value)], cancellationToken);
            foreach (var (code, administrationId) in found)
            {
                owners[(group.Key, code)] = administrationId;
            }
        }

        var recipients = new List<string>();
        foreach (var (rule, value) in values)
        {
            if (!owners.TryGetValue((rule.Code, value), out var administrationId))
            {
                return new RecipientResolution.UnknownCode(rule, value);
            }

            if (!recipients.Contains(administrationId, StringComparer.Ordinal))
            {
                recipients.Add(administrationId);
            }
        }

        return new RecipientResolution.Resolved(recipients);
    }

    private static bool Reads(RecipientRule rule, string mediaType) =>
        rule.XPath is not null ? PayloadSealer.IsXmlMediaType(mediaType) : RecipientRuleValidator.IsJsonMediaType(mediaType);

    // Returns the distinct (rule, value) pairs in document order, each with the first rule that selected it.
    private static Selection Select(List<RecipientRule> rules, string mediaType, Stream payload, int maxRecipients)
    {
        var values = new List<(RecipientRule Rule, string Value)>();
        var seen = new HashSet<(string Kind, string Value)>();
        var isXml = PayloadSealer.IsXmlMediaType(mediaType);
        XPathNavigator? xml = null;
        JsonDocument? json = null;
        long line;
        long position;
        if (isXml)
        {
            xml = ParseXml(payload, out line, out position);
        }
        else
        {
            json = ParseJson(payload, out line, out position);
        }

        if (xml is null && json is null)
        {
            return Selection.Failed(new RecipientResolution.Unreadable(rules[0], line, position));
        }

        using (json)
        {
            foreach (var rule in rules)
            {
                IEnumerable<string?> selected;
                try
                {
                    selected = isXml ? SelectXml(xml!, rule) : SelectJson(json!.RootElement, rule);
                    if (!Add(rule, selected))
                    {
                        return Selection.Failed(new RecipientResolution.TooManyRecipients(maxRecipients));
                    }
                }
                catch (XPathException)
                {
                    // Every expression compiled at registry load, so only an error while evaluating it on this document is left.
                    return Selection.Failed(new RecipientResolution.Unreadable(rule, 0, 0));
                }
            }
        }

        return new Selection(values, null);

        // Adds the non-empty values of one rule; false once there are more distinct values than recipients allowed.
        bool Add(RecipientRule rule, IEnumerable<string?> selected)
        {
            foreach (var raw in selected)
            {
                var value = raw?.Trim();
                if (string.IsNullOrEmpty(value) || !seen.Add((rule.Code, value)))
                {
                    continue;
                }

                if (seen.Count > maxRecipients)
                {
                    return false;
                }

                values.Add((rule, value));
            }

            return true;
        }
    }

    // DTDs are prohibited and nothing external is resolved, as for signature verification.
    private static XPathNavigator? ParseXml(Stream payload, out long line, out long position)
    {
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, CloseInput = false };
        try
        {
            using var reader = XmlReader.Create(payload, settings);
            line = 0;
            position = 0;
            return new XPathDocument(reader).CreateNavigator();
        }
        catch (XmlException exception)
        {
            line = exception.LineNumber;
            position = exception.LinePosition;
            return null;
        }
    }

    private static JsonDocument? ParseJson(Stream payload, out long line, out long position)
    {
        var options = new JsonDocumentOptions { MaxDepth = MaxJsonDepth, AllowDuplicateProperties = false };
        try
        {
            line = 0;
            position = 0;
            return JsonDocument.Parse(payload, options);
        }
        catch (JsonException exception)
        {
            // System.Text.Json counts lines and bytes from zero.
            line = (exception.LineNumber ?? -1) + 1;
            position = (exception.BytePositionInLine ?? -1) + 1;
            return null;
        }
    }

    private static IEnumerable<string?> SelectXml(XPathNavigator document, RecipientRule rule)
    {
        var resolver = new XmlNamespaceManager(document.NameTable);
        foreach (var (prefix, uri) in rule.Namespaces ?? new Dictionary<string, string>())
        {
            resolver.AddNamespace(prefix, uri);
        }

        var expression = XPathExpression.Compile(rule.XPath!, resolver);
        foreach (XPathNavigator node in document.Select(expression))
        {
            yield return node.Value;
        }
    }

    // Strings and numbers are values; null counts as empty; an object, array or boolean is kept as its JSON text, which matches no code.
    private static IEnumerable<string?> SelectJson(JsonElement root, RecipientRule rule)
    {
        if (!JsonPathExpression.TryParse(rule.JsonPath!, out var path, out _))
        {
            return [];
        }

        return path!.Select(root).Select(element => element.ValueKind switch
            {
                JsonValueKind.String => element.GetString(),
                JsonValueKind.Null => null,
                _ => element.GetRawText(),
            });
    }

    private sealed record Selection(List<(RecipientRule Rule, string Value)> Values, RecipientResolution? Failure)
    {
        public static Selection Failed(RecipientResolution failure) => new([], failure);
    }
}
