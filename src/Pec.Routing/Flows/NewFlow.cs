using Pec.Adapters.Payloads;

namespace Pec.Routing.Flows;

/// <summary>What the gateway has checked and stored for a submission, ready to be committed.</summary>
public sealed record NewFlow(
    string FlowTypeId,
    string SenderId,
    IReadOnlyList<string> Recipients,
    StoredPayload Payload,
    string MediaType,
    string IdempotencyKey,
    string? CorrelationId,
    SignatureEvidence? Signature = null);
