using System.Security.Claims;
using Pec.Adapters.Payloads;
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
        api.MapGet("/flows/{flowId:guid}/deliveries/{recipientId}/reply", GetReplyAsync).RequireAuthorization();
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

    /// <summary>
    /// The document a recipient attached to its acknowledgement (mailbox) or returned in its push
    /// response, as stored; its SHA-256 is the one the acknowledgement receipt names, so the sender
    /// can check the recipient's own signature in it.
    /// </summary>
    private static async Task<IResult> GetReplyAsync(Guid flowId, string recipientId, HttpContext context, FlowQueries queries, PayloadStore store)
    {
        var cancellationToken = context.RequestAborted;
        if (!await MayReadAsync(context.User, flowId, queries, cancellationToken))
        {
            return ApiProblem.Result(context, ProblemCatalog.FlowNotFound, flowId);
        }

        var reply = recipientId.Length <= 64 ? await queries.FindReplyAsync(flowId, recipientId, cancellationToken) : null;
        if (reply is null)
        {
            return ApiProblem.Result(context, ProblemCatalog.ReplyNotFound, flowId, recipientId.Length <= 64 ? recipientId : recipientId[..64] + "…");
        }

        if (!await store.VerifyAsync(reply.Sha256Hex, cancellationToken))
        {
            return ApiProblem.Result(context, ProblemCatalog.ReplyCorrupt, flowId, recipientId);
        }

        context.Response.Headers["Repr-Digest"] = $"sha-256=:{Convert.ToBase64String(Convert.FromHexString(reply.Sha256Hex))}:";
        return TypedResults.Stream(store.OpenRead(reply.Sha256Hex)!, reply.MediaType);
    }

    private static async Task<bool> MayReadAsync(ClaimsPrincipal user, Guid flowId, FlowQueries queries, CancellationToken cancellationToken) =>
        user.IsAuditor() || await queries.IsPartyAsync(flowId, user.AdministrationIdOf(), cancellationToken);
}
