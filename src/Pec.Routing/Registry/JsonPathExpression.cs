using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Pec.Routing.Registry;

/// <summary>
/// A JSON path in a small subset of RFC 9535: the root <c>$</c>, followed by any number of member
/// names (<c>.name</c> or <c>['name']</c>), array indexes from zero (<c>[n]</c>) and wildcards
/// (<c>[*]</c>: every element of an array, or every member value of an object). A dotted name is
/// made of letters, digits, <c>_</c> and <c>-</c>; a quoted name may contain anything, with
/// <c>\'</c> and <c>\\</c> as escapes. Filters, slices, negative indexes, unions, <c>.*</c> and
/// recursive descent (<c>..</c>) are not supported and fail to parse.
/// </summary>
internal sealed class JsonPathExpression
{
    private readonly Segment[] _segments;

    private JsonPathExpression(string text, Segment[] segments)
    {
        Text = text;
        _segments = segments;
    }

    public string Text { get; }

    /// <summary>Parses <paramref name="text"/>, or returns false with the reason in <paramref name="error"/>.</summary>
    public static bool TryParse(string text, out JsonPathExpression? expression, out string error)
    {
        expression = null;
        if (!text.StartsWith('$'))
        {
            error = "a JSON path starts with '$'";
            return false;
        }

        var segments = new List<Segment>();
        var position = 1;
        while (position < text.Length)
        {
            var segment = text[position] switch
            {
                '.' => ReadDottedName(text, ref position, out error),
                '[' => ReadBracket(text, ref position, out error),
                _ => Fail(out error, $"unexpected character '{text[position]}' at position {position}"),
            };
            if (segment is null)
            {
                return false;
            }

            segments.Add(segment.Value);
        }

        expression = new JsonPathExpression(text, [.. segments]);
        error = "";
        return true;
    }

    /// <summary>Returns the values the path selects in <paramref name="root"/>, in document order; nothing when a name or index is absent.</summary>
    public IEnumerable<JsonElement> Select(JsonElement root)
    {
        IEnumerable<JsonElement> nodes = [root];
        foreach (var segment in _segments)
        {
            nodes = nodes.SelectMany(segment.Apply);
        }

        return nodes;
    }

    public override string ToString() => Text;

    private static Segment? ReadDottedName(string text, ref int position, out string error)
    {
        var start = ++position;
        while (position < text.Length && (char.IsLetterOrDigit(text[position]) || text[position] is '_' or '-'))
        {
            position++;
        }

        if (position == start)
        {
            var found = start < text.Length ? $"'{text[start]}'" : "the end";
            return Fail(out error, $"a member name is expected after '.' at position {start - 1}, found {found} (use ['name'] for other characters; '..' and '.*' are not supported)");
        }

        error = "";
        return new Segment(SegmentKind.Name, text[start..position], 0);
    }

    private static Segment? ReadBracket(string text, ref int position, out string error)
    {
        var open = position++;
        if (position >= text.Length)
        {
            return Fail(out error, $"'[' at position {open} is not closed");
        }

        Segment segment;
        if (text[position] == '*')
        {
            position++;
            segment = new Segment(SegmentKind.Wildcard, null, 0);
        }
        else if (text[position] == '\'')
        {
            if (ReadQuotedName(text, ref position) is not { } name)
            {
                return Fail(out error, $"the quoted name at position {open + 1} is not closed");
            }

            segment = new Segment(SegmentKind.Name, name, 0);
        }
        else if (char.IsAsciiDigit(text[position]))
        {
            var start = position;
            while (position < text.Length && char.IsAsciiDigit(text[position]))
            {
                position++;
            }

            if (!int.TryParse(text.AsSpan(start, position - start), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            {
                return Fail(out error, $"the index at position {start} is too large");
            }

            segment = new Segment(SegmentKind.Index, null, index);
        }
        else
        {
            return Fail(out error, $"'[' at position {open} must be followed by *, a quoted name or an index from zero (filters, slices and negative indexes are not supported)");
        }

        if (position >= text.Length || text[position] != ']')
        {
            return Fail(out error, $"']' expected at position {position}");
        }

        position++;
        error = "";
        return segment;
    }

    // Reads 'name' with \' and \\ escapes; position starts on the opening quote and ends after the closing one.
    private static string? ReadQuotedName(string text, ref int position)
    {
        var name = new StringBuilder();
        position++;
        while (position < text.Length)
        {
            var c = text[position++];
            if (c == '\'')
            {
                return name.ToString();
            }

            if (c == '\\' && position < text.Length && text[position] is '\'' or '\\')
            {
                c = text[position++];
            }

            name.Append(c);
        }

        return null;
    }

    private static Segment? Fail(out string error, string message)
    {
        error = message;
        return null;
    }

    private enum SegmentKind
    {
        Name,
        Index,
        Wildcard,
    }

    private readonly record struct Segment(SegmentKind Kind, string? Name, int Index)
    {
        public IEnumerable<JsonElement> Apply(JsonElement node) => Kind switch
        {
            // RFC 8259 leaves duplicate member names to the parser, so the recipient resolver rejects documents that repeat one.
            SegmentKind.Name => node.ValueKind == JsonValueKind.Object && node.TryGetProperty(Name!, out var value) ? [value] : [],
            SegmentKind.Index => node.ValueKind == JsonValueKind.Array && Index < node.GetArrayLength() ? [node[Index]] : [],
            _ => node.ValueKind switch
            {
                JsonValueKind.Array => node.EnumerateArray(),
                JsonValueKind.Object => node.EnumerateObject().Select(member => member.Value),
                _ => [],
            },
        };
    }
}
