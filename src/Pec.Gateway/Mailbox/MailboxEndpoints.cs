using Pec.Adapters.Payloads;
using Pec.Gateway.Authentication;
using Pec.Gateway.Flows;
using Pec.Gateway.Problems;
using Pec.Routing.Mailbox;
using Pec.Signing.Receipts;

namespace Pec.Gateway.Mailbox;

/// <summary>
/// The pull channel: a recipient lists its flows, fetches each payload (the first complete fetch
/// issues the delivery receipt) and acknowledges it (which issues the acknowledgement receipt).
/// </summary>
internal static class MailboxEndpoints
{
    // A reply document travels with the acknowledgement; it is evidence, not a new flow, so it stays small.
    private const long MaxReplyBytes = 10 * 1024 * 1024;
    private const int FetchCommitAttempts = 20;
    private static readonly TimeSpan FetchCommitPollInterval = TimeSpan.FromMilliseconds(100);

    public static void Map(RouteGroupBuilder api)
    {
        var mailbox = api.MapGroup("/mailbox").RequireAuthorization(PecClaims.AdministrationPolicy);
        mailbox.MapGet("/", ListAsync);
        mailbox.MapGet("/notices", ListNoticesAsync);
        mailbox.MapGet("/{flowId:guid}/payload", GetPayloadAsync);
        mailbox.MapPost("/{flowId:guid}/ack", AcknowledgeAsync);
        mailbox.MapGet("/{flowId:guid}/seal", GetSealAsync);
    }

    private static async Task<IResult> ListAsync(HttpContext context, MailboxRepository mailbox)
    {
        var (after, limit, problem) = PagingQuery.Read(context.Request);
        if (problem is { } p)
        {
            return ApiProblem.Result(context, p.Kind, p.Arguments);
        }

        var items = await mailbox.ListAsync(context.User.AdministrationIdOf(), after, limit, context.RequestAborted);
        var views = items.Select(i => new MailboxEntry(FlowSummary.From(i.Flow), i.Delivery.Status, $"/api/v1/mailbox/{i.Flow.Id}/payload")).ToList();
        return TypedResults.Ok(new Page<MailboxEntry>(views, PagingQuery.NextCursor(views, limit, v => v.Flow.FlowId)));
    }

    /// <summary>What the caller, as a sender, must know: flows that could not be delivered, with their non-delivery receipts.</summary>
    private static async Task<IResult> ListNoticesAsync(HttpContext context, MailboxRepository mailbox)
    {
        var (after, limit, problem) = PagingQuery.Read(context.Request);
        if (problem is { } p)
        {
            return ApiProblem.Result(context, p.Kind, p.Arguments);
        }

        var notices = await mailbox.ListNoticesAsync(context.User.AdministrationIdOf(), after, limit, context.RequestAborted);
        var views = notices.Select(n => new NoticeEntry(
            "non-delivery", n.FlowId, n.FlowTypeId, n.RecipientId, n.Reason, Operations.DeliveryReasonTexts.For(n.Reason, context.Request),
            n.IssuedAt, n.DeliveryStatus, $"/api/v1/flows/{n.FlowId}/receipts/{n.ReceiptId}")).ToList();
        return TypedResults.Ok(new Page<NoticeEntry>(views, PagingQuery.NextCursor(notices, limit, n => n.ReceiptId)));
    }

    private static async Task<IResult> GetPayloadAsync(Guid flowId, HttpContext context, MailboxRepository mailbox, PayloadStore store, ILoggerFactory loggerFactory)
    {
        var logger = loggerFactory.CreateLogger(typeof(MailboxEndpoints));
        var recipient = context.User.AdministrationIdOf();
        var cancellationToken = context.RequestAborted;
        var item = await mailbox.FindAsync(recipient, flowId, cancellationToken);
        if (item is null)
        {
            return ApiProblem.Result(context, ProblemCatalog.MailboxItemNotFound, flowId);
        }

        var flow = item.Flow;

        // Checked before the first byte goes out: once headers are sent, a mismatch could not be reported.
        if (!await store.VerifyAsync(flow.PayloadSha256, cancellationToken))
        {
            Log.PayloadCorrupt(logger, flow.PayloadSha256, flowId);
            await mailbox.FailCorruptAsync(recipient, flowId, CancellationToken.None);
            return ApiProblem.Result(context, ProblemCatalog.PayloadCorrupt, flowId);
        }

        await using var stream = store.OpenRead(flow.PayloadSha256)!;
        var digest = Convert.ToBase64String(Convert.FromHexString(flow.PayloadSha256));
        var response = context.Response;
        response.ContentType = flow.MediaType;
        response.ContentLength = flow.PayloadSize;
        response.Headers["Repr-Digest"] = $"sha-256=:{digest}:";
        response.Headers["Digest"] = $"sha-256={digest}";
        response.Headers["Pec-Payload-Sha256"] = flow.PayloadSha256;
        response.Headers["Pec-Flow-Id"] = flow.Id.ToString();
        response.Headers["Pec-Flow-Type"] = flow.FlowTypeId;
        response.Headers["Pec-Sender"] = flow.SenderId;
        if (flow.Signature?.DetachedSealSha256 is not null)
        {
            response.Headers["Pec-Seal"] = $"/api/v1/mailbox/{flow.Id}/seal";
        }
        await stream.CopyToAsync(response.Body, cancellationToken);
        await response.Body.FlushAsync(cancellationToken);

        // Reached only when every byte was handed to the connection without error.
        await mailbox.MarkDeliveredAsync(recipient, flowId, CancellationToken.None);
        Log.PayloadFetched(logger, flowId, recipient);
        return Results.Empty;
    }

    // The detached CAdES signature PEC made over a non-XML payload it sealed; fetching it is not a delivery.
    private static async Task<IResult> GetSealAsync(Guid flowId, HttpContext context, MailboxRepository mailbox, PayloadStore store)
    {
        var item = await mailbox.FindAsync(context.User.AdministrationIdOf(), flowId, context.RequestAborted);
        if (item is null)
        {
            return ApiProblem.Result(context, ProblemCatalog.MailboxItemNotFound, flowId);
        }

        if (item.Flow.Signature?.DetachedSealSha256 is not { } sealSha256 || store.OpenRead(sealSha256) is not { } stream)
        {
            return ApiProblem.Result(context, ProblemCatalog.SealNotFound, flowId);
        }

        return TypedResults.Stream(stream, "application/pkcs7-signature", $"{flowId}.p7s");
    }

    private static async Task<IResult> AcknowledgeAsync(Guid flowId, HttpContext context, MailboxRepository mailbox, PayloadStore store, ILoggerFactory loggerFactory)
    {
        var recipient = context.User.AdministrationIdOf();
        var cancellationToken = context.RequestAborted;
        PayloadDescription? reply = null;
        if (context.Request.ContentLength is > 0 || context.Request.Headers.TransferEncoding.Count > 0)
        {
            if (context.Request.ContentLength > MaxReplyBytes)
            {
                return ApiProblem.Result(context, ProblemCatalog.RequestTooLarge);
            }

            try
            {
                var stored = await store.WriteAsync(context.Request.Body, MaxReplyBytes, cancellationToken);
                reply = stored.Size == 0 ? null : new PayloadDescription(stored.Sha256Hex, stored.Size, context.Request.ContentType ?? "application/octet-stream");
            }
            catch (PayloadTooLargeException)
            {
                return ApiProblem.Result(context, ProblemCatalog.RequestTooLarge);
            }
            catch (PayloadSourceException)
            {
                return ApiProblem.Result(context, ProblemCatalog.IncompleteBody);
            }
        }

        var result = await AcknowledgeWhenFetchCommittedAsync(mailbox, recipient, flowId, reply, cancellationToken);
        switch (result)
        {
            case AcknowledgeResult.Acknowledged acknowledged:
                Log.FlowAcknowledged(loggerFactory.CreateLogger(typeof(MailboxEndpoints)), flowId, recipient);
                return TypedResults.Ok(new AcknowledgementResponse(flowId, "acknowledged", ReceiptLink.From(flowId, acknowledged.Receipt)));
            case AcknowledgeResult.NotDelivered:
                return ApiProblem.Result(context, ProblemCatalog.NotFetched, flowId);
            case AcknowledgeResult.Conflict:
                return ApiProblem.Result(context, ProblemCatalog.AcknowledgementConflict, flowId);
            default:
                return ApiProblem.Result(context, ProblemCatalog.MailboxItemNotFound, flowId);
        }
    }

    // The fetch records the delivery only after its last byte left, so a client that acknowledges
    // as soon as it has read the body can overtake that commit. Waiting briefly for it keeps such a
    // client from a spurious 409; a flow never fetched is still refused once the wait is over.
    private static async Task<AcknowledgeResult> AcknowledgeWhenFetchCommittedAsync(
        MailboxRepository mailbox, string recipient, Guid flowId, PayloadDescription? reply, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var result = await mailbox.AcknowledgeAsync(recipient, flowId, reply, cancellationToken);
            if (result is not AcknowledgeResult.NotDelivered || attempt == FetchCommitAttempts)
            {
                return result;
            }

            await Task.Delay(FetchCommitPollInterval, cancellationToken);
        }
    }
}

/// <summary>A flow in the mailbox, with this recipient's delivery state and the payload address.</summary>
internal sealed record MailboxEntry(FlowSummary Flow, string DeliveryStatus, string PayloadHref);

/// <summary>Answer of an acknowledgement, with the acknowledgement receipt.</summary>
internal sealed record AcknowledgementResponse(Guid FlowId, string Status, ReceiptLink Receipt);

/// <summary>One entry of <c>GET /api/v1/mailbox/notices</c>.</summary>
internal sealed record NoticeEntry(
    string Kind, Guid FlowId, string FlowType, string Recipient, string? Reason, string? ReasonText, DateTimeOffset IssuedAt, string DeliveryStatus, string Receipt);
