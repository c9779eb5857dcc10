using Pec.Routing.Flows;
using Pec.Routing.Receipts;

namespace Pec.Gateway.Flows;

/// <summary>A receipt in API answers, with the address of its signed XML.</summary>
internal sealed record ReceiptLink(Guid ReceiptId, string Kind, string? Recipient, DateTimeOffset IssuedAt, string Href)
{
    public static ReceiptLink From(Guid flowId, ReceiptSummary receipt) =>
        new(receipt.ReceiptId, receipt.Kind, receipt.RecipientId, receipt.IssuedAt, $"/api/v1/flows/{flowId}/receipts/{receipt.ReceiptId}");
}

/// <summary>Answer of <c>POST /api/v1/flows</c>; the same for a replay with the same idempotency key.</summary>
internal sealed record FlowAcceptedResponse(Guid FlowId, string Status, IReadOnlyList<ReceiptLink> Receipts);

/// <summary>The payload as the API describes it.</summary>
internal sealed record PayloadView(string Sha256, long Size, string MediaType);

/// <summary>A flow in listings (auditor search, mailbox).</summary>
internal sealed record FlowSummary(
    Guid FlowId,
    string FlowType,
    string Sender,
    IReadOnlyList<string> Recipients,
    string Status,
    PayloadView Payload,
    string? CorrelationId,
    DateTimeOffset AcceptedAt,
    DateTimeOffset UpdatedAt,
    SignatureEvidence? Signature)
{
    public static FlowSummary From(FlowRecord flow) =>
        new(flow.Id, flow.FlowTypeId, flow.SenderId, flow.Recipients, flow.Status,
            new PayloadView(flow.PayloadSha256, flow.PayloadSize, flow.MediaType), flow.CorrelationId, flow.AcceptedAt, flow.UpdatedAt,
            flow.Signature);
}

/// <summary>Answer of <c>GET /api/v1/flows/{id}</c>: the flow, its per-recipient states, its receipts and its audit timeline.</summary>
internal sealed record FlowDetails(
    FlowSummary Flow,
    IReadOnlyList<DeliveryRecord> Deliveries,
    IReadOnlyList<ReceiptLink> Receipts,
    IReadOnlyList<TimelineEntry> Timeline);

/// <summary>A page of a cursor-paged listing; <see cref="NextCursor"/> is null on the last page.</summary>
internal sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);

/// <summary>Answer of <c>GET /api/v1/flows/{id}/receipts</c>.</summary>
internal sealed record ReceiptList(IReadOnlyList<ReceiptLink> Items);
