using System.Security.Claims;
using Pec.Gateway.Authentication;
using Pec.Gateway.Problems;
using Pec.Routing.Flows;
using Pec.Routing.Receipts;

namespace Pec.Gateway.Flows;

/// <summary>
/// Status, receipt list and signed receipts of a flow, for its sender, its recipients and auditors.
/// Anyone else gets 404, so the API does not reveal that a flow exists.
/// </summary>
internal static class FlowReadEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/flows/{flowId:guid}", GetFlowAsync).RequireAuthorization();
        api.MapGet("/flows/{flowId:guid}/receipts", ListReceiptsAsync).RequireAuthorization();
        api.MapGet("/flows/{flowId:guid}/receipts/{receiptId:guid}", GetReceiptAsync).RequireAuthorization();
    }

    private static async Task<IResult> GetFlowAsync(Guid flowId, HttpContext context, FlowRepository flows, FlowQueries queries, ReceiptRepository receipts)
    {
        var cancellationToken = context.RequestAborted;
        if (!await MayReadAsync(context.User, flowId, queries, cancellationToken))
        {
            return ApiProblem.Result(context, ProblemCatalog.FlowNotFound, flowId);
        }

        var flow = await flows.FindAsync(flowId, cancellationToken);
        if (flow is null)
        {
            return ApiProblem.Result(context, ProblemCatalog.FlowNotFound, flowId);
        }

        var deliveries = await queries.ListDeliveriesAsync(flowId, cancellationToken);
        var receiptList = await receipts.ListAsync(flowId, cancellationToken);
        var timeline = await queries.ListTimelineAsync(flowId, cancellationToken);
        return TypedResults.Ok(new FlowDetails(
            FlowSummary.From(flow), deliveries, [.. receiptList.Select(r => ReceiptLink.From(flowId, r))], timeline));
    }

    private static async Task<IResult> ListReceiptsAsync(Guid flowId, HttpContext context, FlowQueries queries, FlowRepository flows, ReceiptRepository receipts)
    {
        var cancellationToken = context.RequestAborted;
        if (!await MayReadAsync(context.User, flowId, queries, cancellationToken) || await flows.FindAsync(flowId, cancellationToken) is null)
        {
            return ApiProblem.Result(context, ProblemCatalog.FlowNotFound, flowId);
        }

        var list = await receipts.ListAsync(flowId, cancellationToken);
        return TypedResults.Ok(new ReceiptList([.. list.Select(r => ReceiptLink.From(flowId, r))]));
    }

    private static async Task<IResult> GetReceiptAsync(Guid flowId, Guid receiptId, HttpContext context, FlowQueries queries, ReceiptRepository receipts)
    {
        var cancellationToken = context.RequestAborted;
        if (!await MayReadAsync(context.User, flowId, queries, cancellationToken))
        {
            return ApiProblem.Result(context, ProblemCatalog.FlowNotFound, flowId);
        }

        var document = await receipts.GetDocumentAsync(flowId, receiptId, cancellationToken);
        if (document is null)
        {
            return ApiProblem.Result(context, ProblemCatalog.ReceiptNotFound, receiptId, flowId);
        }

        return TypedResults.Bytes(document, "application/xml", $"receipt-{receiptId}.xml");
    }

    private static async Task<bool> MayReadAsync(ClaimsPrincipal user, Guid flowId, FlowQueries queries, CancellationToken cancellationToken) =>
        user.IsAuditor() || await queries.IsPartyAsync(flowId, user.AdministrationIdOf(), cancellationToken);
}
