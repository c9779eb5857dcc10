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
            return ApiProblem.Result(context, ProblemCatalog.InvalidQuery, "status", string.Join(", ", FlowStatus.FlowStates));
        }

        if (!TryReadTime(query["from"].ToString(), out var from))
        {
            return ApiProblem.Result(context, ProblemCatalog.InvalidQuery, "from", "ISO 8601");
        }

        if (!TryReadTime(query["to"].ToString(), out var to))
        {
            return ApiProblem.Result(context, ProblemCatalog.InvalidQuery, "to", "ISO 8601");
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
        return TypedResults.Ok(new AuditChainView(report.FirstInvalidSequence is null, report.EntriesChecked, report.FirstInvalidSequence, report.Problem, report.HeadHashHex));
    }

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
internal sealed record AuditChainView(bool Valid, long EntriesChecked, long? FirstInvalidSequence, string? Problem, string HeadHash);
