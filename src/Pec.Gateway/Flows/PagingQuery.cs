using System.Globalization;
using Pec.Gateway.Problems;

namespace Pec.Gateway.Flows;

/// <summary>Reads the <c>cursor</c> and <c>limit</c> query parameters shared by the paged listings.</summary>
internal static class PagingQuery
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;

    /// <summary>
    /// Reads the paging parameters. The cursor is opaque to clients: it is the id of the last flow of
    /// the previous page, so pages stay stable while flows arrive.
    /// </summary>
    public static (Guid? After, int Limit, (ProblemKind Kind, object?[] Arguments)? Problem) Read(HttpRequest request)
    {
        Guid? after = null;
        var cursor = request.Query["cursor"].ToString();
        if (cursor.Length > 0)
        {
            if (!Guid.TryParseExact(cursor, "N", out var parsed) && !Guid.TryParse(cursor, out parsed))
            {
                return (null, 0, (ProblemCatalog.InvalidQuery, ["cursor", new LocalizedText("attendu : la valeur nextCursor d'une page précédente", "expected: the nextCursor value of a previous page")]));
            }

            after = parsed;
        }

        var limit = DefaultLimit;
        var limitText = request.Query["limit"].ToString();
        // Digits only: int.TryParse would also accept trailing NUL characters.
        if (limitText.Length > 0
            && (!limitText.All(char.IsAsciiDigit) || !int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1 || limit > MaxLimit))
        {
            return (null, 0, (ProblemCatalog.InvalidQuery, ["limit", new LocalizedText($"attendu : un entier de 1 à {MaxLimit}", $"expected: an integer from 1 to {MaxLimit}")]));
        }

        return (after, limit, null);
    }

    public static string? NextCursor<T>(IReadOnlyList<T> items, int limit, Func<T, Guid> id) =>
        items.Count == limit ? id(items[^1]).ToString("N") : null;
}
