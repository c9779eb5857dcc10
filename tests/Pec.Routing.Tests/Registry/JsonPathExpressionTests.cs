using System.Text.Json;
using Pec.Routing.Registry;

namespace Pec.Routing.Tests.Registry;

public sealed class JsonPathExpressionTests
{
    private const string Document = """
        {
          "a": { "b": [ { "c": "x" }, { "c": "y" }, { "d": "z" } ] },
          "odd name": { "it's": 1 },
          "n": 42,
          "o": { "p": "1", "q": "2" }
        }
        """;

    public static TheoryData<string, string[]> Selections => new()
    {
        { "$.n", ["42"] },
        { "$.a.b[*].c", ["\"x\"", "\"y\""] },
        { "$['a']['b'][1]['c']", ["\"y\""] },
        { "$['odd name']['it\\'s']", ["1"] },
        // Wildcard over an object yields its member values, in document order.
        { "$.o[*]", ["\"1\"", "\"2\""] },
        // Absent names, indexes past the end and steps into scalars select nothing.
        { "$.missing", [] },
        { "$.a.b[7]", [] },
        { "$.n.x", [] },
        { "$.n[0]", [] },
        { "$.n[*]", [] },
    };

    [Theory]
    [MemberData(nameof(Selections))]
    public void Select_SupportedPath_ReturnsValues(string path, string[] expected)
    {
        using var document = JsonDocument.Parse(Document);
        Assert.True(JsonPathExpression.TryParse(path, out var expression, out var error), error);

        var selected = expression!.Select(document.RootElement).Select(e => e.GetRawText()).ToArray();

        Assert.Equal(expected, selected);
    }

    [Fact]
    public void Select_Root_ReturnsTheDocument()
    {
        using var document = JsonDocument.Parse(Document);
        Assert.True(JsonPathExpression.TryParse("$", out var expression, out _));

        var selected = Assert.Single(expression!.Select(document.RootElement));

        Assert.Equal(JsonValueKind.Object, selected.ValueKind);
    }

    [Theory]
    [InlineData("", "starts with '$'")]
    [InlineData("a.b", "starts with '$'")]
    [InlineData("$.", "member name is expected")]
    [InlineData("$..a", "'..' and '.*' are not supported")]
    [InlineData("$.*", "'..' and '.*' are not supported")]
    [InlineData("$.a b", "unexpected character ' '")]
    [InlineData("$[", "is not closed")]
    [InlineData("$['a", "quoted name at position 2 is not closed")]
    [InlineData("$[-1]", "negative indexes are not supported")]
    [InlineData("$[?(@.a)]", "filters")]
    [InlineData("$[1:2]", "']' expected at position 3")]
    [InlineData("$[0,1]", "']' expected")]
    [InlineData("$[99999999999]", "too large")]
    [InlineData("$[\"a\"]", "quoted name")]
    public void TryParse_UnsupportedPath_ExplainsWhy(string path, string reason)
    {
        Assert.False(JsonPathExpression.TryParse(path, out var expression, out var error));
        Assert.Null(expression);
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }
}
