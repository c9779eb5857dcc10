using System.Globalization;
using Pec.Gateway.Authentication;
using Pec.Gateway.Flows;
using Pec.Gateway.Problems;
using Pec.Routing.Audit;
using Pec.Routing.Flows;

namespace Pec.Gateway.Audit;

/// <summary>
/// Auditors' search over every flow. Filters: <c>sender</c>, <c>recipient</c>, <c>flowType</c>,
/// <c>status</c>, <c>from</c> and <c>to</c> (ISO 8601 acceptance time, <c>to</c> exclusive), with cursor paging.
/// </summary>
internal static class AuditEndpoints
{
    private static readonly LocalizedText FilterExpected = new(
        "attendu : une seule valeur d'au plus 128 caractères, sans caractère de contrôle", "expected: one value of at most 128 characters, without control characters");

    private static readonly LocalizedText IsoTimeExpected = new(
        "attendu : une date ISO 8601 telle que 2026-12-04T10:00:00Z", "expected: an ISO 8601 time such as 2026-12-04T10:00:00Z");

    public static void Map(RouteGroupBuilder api)
    {
        var audit = api.MapGroup("/audit").RequireAuthorization(PecClaims.AuditorPolicy);
        audit.MapGet("/flows", SearchFlowsAsync);
        audit.MapGet("/log/verify", VerifyLogAsync);
    }

    private static async Task<IResult> SearchFlowsAsync(HttpContext context, FlowQueries queries)
    {
        var query = context.Request.Query;
        var (after, limit, pagingProblem) = PagingQuery.Read(context.Request);
        if (pagingProblem is { } p)
        {
            return ApiProblem.Result(context, p.Kind, p.Arguments);
        }

        var status = Optional(query["status"].ToString());
        if (status is not null && !FlowStatus.FlowStates.Contains(status))
        {
            return ApiProblem.Result(context, ProblemCatalog.InvalidQuery, "status", new LocalizedText("attendu : " + string.Join(", ", FlowStatus.FlowStates), "expected: " + string.Join(", ", FlowStatus.FlowStates)));
        }

        if (!TryReadTime(query["from"].ToString(), out var from))
        {
            return ApiProblem.Result(context, ProblemCatalog.InvalidQuery, "from", IsoTimeExpected);
        }

        if (!TryReadTime(query["to"].ToString(), out var to))
        {
            return ApiProblem.Result(context, ProblemCatalog.InvalidQuery, "to", IsoTimeExpected);
        }

        foreach (var name in new[] { "sender", "recipient", "flowType", "status", "from", "to", "cursor", "limit" })
        {
            if (query[name].Count > 1 || query[name].ToString().Length > 128 || query[name].ToString().Any(char.IsControl))
            {
                return ApiProblem.Result(context, ProblemCatalog.InvalidQuery, name, FilterExpected);
            }
        }

        var search = new FlowSearch(
            Optional(query["sender"].ToString()), Optional(query["recipient"].ToString()), Optional(query["flowType"].ToString()),
            status, from, to, after, limit);
        var flows = await queries.SearchAsync(search, context.RequestAborted);
        var items = flows.Select(FlowSummary.From).ToList();
        return TypedResults.Ok(new Page<FlowSummary>(items, PagingQuery.NextCursor(items, limit, f => f.FlowId)));
    }

    private static async Task<IResult> VerifyLogAsync(HttpContext context, AuditChainVerifier verifier)
    {
        var report = await verifier.VerifyAsync(context.RequestAborted);
        var problem = report.Problem is { } p ? Describe(p) : null;
        var english = ProblemLanguage.PrefersEnglish(context.Request);
        return TypedResults.Ok(new AuditChainView(
            report.FirstInvalidSequence is null, report.EntriesChecked, report.FirstInvalidSequence,
            report.Problem is { } code ? ToKebabCase(code) : null, english ? problem?.English : problem?.French, report.HeadHashHex));
    }

    private static LocalizedText Describe(AuditChainProblem problem) => problem switch
    {
        AuditChainProblem.EntryMissing => new("une entrée manque : elle a été supprimée", "an entry is missing: it was deleted"),
        AuditChainProblem.LinkBroken => new("le chaînage vers l'entrée précédente est rompu", "the link to the previous entry is broken"),
        AuditChainProblem.HashMismatch => new("l'empreinte ne correspond plus au texte de l'entrée", "the hash no longer matches the entry text"),
        AuditChainProblem.ColumnsAltered => new("les colonnes de l'entrée ne correspondent plus au texte haché", "the entry's columns no longer match the hashed text"),
        _ => new("la tête de chaîne ne désigne pas la dernière entrée : des entrées récentes ont été supprimées", "the chain head does not name the last entry: recent entries were deleted"),
    };

    private static string ToKebabCase(AuditChainProblem problem) =>
        string.Concat(problem.ToString().Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

    private static string? Optional(string value) => value.Length == 0 ? null : value;

    private static bool TryReadTime(string text, out DateTimeOffset? time)
    {
        time = null;
        if (text.Length == 0)
        {
            return true;
        }

        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            return false;
        }

        time = parsed.ToUniversalTime();
        return true;
    }
}

/// <summary>Answer of <c>GET /api/v1/audit/log/verify</c>.</summary>
internal sealed record AuditChainView(bool Valid, long EntriesChecked, long? FirstInvalidSequence, string? Problem, string? Detail, string HeadHash);
