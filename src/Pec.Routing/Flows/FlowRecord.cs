namespace Pec.Routing.Flows;

/// <summary>A stored flow: its identity, payload description and current aggregate status.</summary>
public sealed record FlowRecord(
    Guid Id,
    string FlowTypeId,
    string SenderId,
    IReadOnlyList<string> Recipients,
    string PayloadSha256,
    long PayloadSize,
    string MediaType,
    string IdempotencyKey,
    string? CorrelationId,
    string Status,
    DateTimeOffset AcceptedAt,
    DateTimeOffset UpdatedAt,
    SignatureEvidence? Signature = null);
