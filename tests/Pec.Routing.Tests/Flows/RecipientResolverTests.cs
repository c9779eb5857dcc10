using System.Text;
using Pec.Routing.Flows;
using Pec.Routing.Registry;

namespace Pec.Routing.Tests.Flows;

public sealed class RecipientResolverTests
{
    private static readonly Dictionary<string, string> Insee = new(StringComparer.Ordinal)
    {
        ["06088"] = "COMMUNE-06088",
        ["44015"] = "COMMUNE-214400152",
        ["06000"] = "COMMUNE-06088",
    };

    private static readonly Dictionary<string, string> Siren = new(StringComparer.Ordinal) { ["130025265"] = "DILA" };

    private static readonly RecipientRule XmlRule = new("/demande/commune", null, RoutingCodeKinds.Insee);
    private static readonly RecipientRule JsonRule = new(null, "$.communes[*]", RoutingCodeKinds.Insee);

    [Fact]
    public async Task Resolve_XmlValues_FanOutInDocumentOrder()
    {
        var result = await ResolveAsync([XmlRule], "application/xml", "<demande><commune> 44015 </commune><commune>06088</commune><commune>44015</commune></demande>");

        var resolved = Assert.IsType<RecipientResolution.Resolved>(result);
        Assert.Equal(["COMMUNE-214400152", "COMMUNE-06088"], resolved.Recipients);
    }

    [Fact]
    public async Task Resolve_TwoCodesOfOneAdministration_GiveOneRecipient()
    {
        var result = await ResolveAsync([JsonRule], "application/json", """{ "communes": ["06088", "06000"] }""");

        Assert.Equal(["COMMUNE-06088"], Assert.IsType<RecipientResolution.Resolved>(result).Recipients);
    }

    [Fact]
    public async Task Resolve_NamespacedXPath_UsesRulePrefixes()
    {
        var rule = new RecipientRule("/p:demande/p:commune/@code", null, RoutingCodeKinds.Insee, new Dictionary<string, string> { ["p"] = "urn:test" });

        var result = await ResolveAsync([rule], "text/xml", """<demande xmlns="urn:test"><commune code="06088"/></demande>""");

        Assert.Equal(["COMMUNE-06088"], Assert.IsType<RecipientResolution.Resolved>(result).Recipients);
    }

    [Fact]
    public async Task Resolve_SeveralRules_TakesTheUnion()
    {
        var sirenRule = new RecipientRule("/demande/emetteur", null, RoutingCodeKinds.Siren);

        var result = await ResolveAsync([XmlRule, sirenRule, JsonRule], "application/xml", "<demande><commune>06088</commune><emetteur>130025265</emetteur></demande>");

        Assert.Equal(["COMMUNE-06088", "DILA"], Assert.IsType<RecipientResolution.Resolved>(result).Recipients);
    }

    [Fact]
    public async Task Resolve_JsonNumbersAndNulls_NumbersMatchNullsSkipped()
    {
        var siren = new RecipientRule(null, "$.sirens[*]", RoutingCodeKinds.Siren);

        var result = await ResolveAsync([siren], "application/json", """{ "sirens": [130025265, null, "  "] }""");

        Assert.Equal(["DILA"], Assert.IsType<RecipientResolution.Resolved>(result).Recipients);
    }

    [Fact]
    public async Task Resolve_UnknownValue_NamesRuleAndValue()
    {
        var result = await ResolveAsync([XmlRule], "application/xml", "<demande><commune>06088</commune><commune>99999</commune></demande>");

        var unknown = Assert.IsType<RecipientResolution.UnknownCode>(result);
        Assert.Equal(XmlRule, unknown.Rule);
        Assert.Equal("99999", unknown.Value);
    }

    [Fact]
    public async Task Resolve_JsonObjectSelected_IsUnknownCode()
    {
        var result = await ResolveAsync([JsonRule], "application/json", """{ "communes": [ { "insee": "06088" } ] }""");

        Assert.IsType<RecipientResolution.UnknownCode>(result);
    }

    [Fact]
    public async Task Resolve_LongValue_IsUnknownWithoutLookup()
    {
        var lookups = 0;
        var result = await RecipientResolver.ResolveAsync(
            [JsonRule], "application/json", Stream($$"""{ "communes": ["{{new string('1', 100)}}"] }"""),
            (kind, codes, _) => { lookups++; return Task.FromResult<IReadOnlyDictionary<string, string>>(new Dictionary<string, string>()); },
            maxRecipients: 100, CancellationToken.None);

        Assert.IsType<RecipientResolution.UnknownCode>(result);
        Assert.Equal(0, lookups);
    }

    [Theory]
    [InlineData("application/xml", "<demande/>")]
    [InlineData("application/xml", "<demande><commune>  </commune></demande>")]
    [InlineData("application/json", """{ "communes": [] }""")]
    [InlineData("application/json", """{ "autre": 1 }""")]
    public async Task Resolve_NoValue_ReturnsNoValue(string mediaType, string payload)
    {
        var result = await ResolveAsync([XmlRule, JsonRule], mediaType, payload);

        var noValue = Assert.IsType<RecipientResolution.NoValue>(result);
        Assert.Single(noValue.Rules);
    }

    [Theory]
    // Line 0: the parser reports no location for a prohibited DTD or a duplicate member name.
    [InlineData("application/xml", "<demande><commune>06088</commune>", 1)]
    [InlineData("application/xml", "<?xml version=\"1.0\"?>\n<!DOCTYPE demande [<!ENTITY c \"06088\">]><demande><commune>&c;</commune></demande>", 0)]
    [InlineData("application/json", "{ \"communes\": [\"06088\" }", 1)]
    [InlineData("application/json", "{ \"communes\": [\"06088\"], \"communes\": [\"44015\"] }", 0)]
    public async Task Resolve_MalformedPayload_IsUnreadable(string mediaType, string payload, long line)
    {
        var result = await ResolveAsync([XmlRule, JsonRule], mediaType, payload);

        var unreadable = Assert.IsType<RecipientResolution.Unreadable>(result);
        Assert.Equal(line, unreadable.Line);
        Assert.Equal(line > 0, unreadable.Position > 0);
    }

    [Fact]
    public async Task Resolve_JsonDeeperThanLimit_IsUnreadable()
    {
        var payload = new string('[', RecipientResolver.MaxJsonDepth + 1) + new string(']', RecipientResolver.MaxJsonDepth + 1);

        Assert.IsType<RecipientResolution.Unreadable>(await ResolveAsync([JsonRule], "application/json", payload));
    }

    [Fact]
    public async Task Resolve_NoRuleForMediaType_ReturnsNoApplicableRule()
    {
        var result = await ResolveAsync([XmlRule], "application/json", "{}");

        Assert.Equal("application/json", Assert.IsType<RecipientResolution.NoApplicableRule>(result).MediaType);
    }

    [Fact]
    public async Task Resolve_MoreDistinctValuesThanMaximum_IsTooMany()
    {
        var codes = string.Join(",", Enumerable.Range(0, 4).Select(i => $"\"0608{i}\""));

        var result = await RecipientResolver.ResolveAsync(
            [JsonRule], "application/json", Stream($$"""{ "communes": [{{codes}}, "06080"] }"""), Lookup, maxRecipients: 3, CancellationToken.None);

        Assert.Equal(3, Assert.IsType<RecipientResolution.TooManyRecipients>(result).Maximum);
    }

    [Fact]
    public async Task Resolve_RepeatedValuesUpToMaximum_AreNotTooMany()
    {
        var result = await RecipientResolver.ResolveAsync(
            [JsonRule], "application/json", Stream("""{ "communes": ["06088", "06088", "06088", "06088"] }"""), Lookup, maxRecipients: 1, CancellationToken.None);

        Assert.IsType<RecipientResolution.Resolved>(result);
    }

    private static Task<RecipientResolution> ResolveAsync(IReadOnlyList<RecipientRule> rules, string mediaType, string payload) =>
        RecipientResolver.ResolveAsync(rules, mediaType, Stream(payload), Lookup, maxRecipients: 100, CancellationToken.None);

    private static Task<IReadOnlyDictionary<string, string>> Lookup(string kind, IReadOnlyCollection<string> codes, CancellationToken cancellationToken)
    {
        var table = kind == RoutingCodeKinds.Insee ? Insee : Siren;
        IReadOnlyDictionary<string, string> found = codes.Where(table.ContainsKey).ToDictionary(c => c, c => table[c], StringComparer.Ordinal);
        return Task.FromResult(found);
    }

    private static MemoryStream Stream(string payload) => new(Encoding.UTF8.GetBytes(payload));
}
