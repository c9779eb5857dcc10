using Pec.Routing.Receipts;

namespace Pec.Routing.Flows;

/// <summary>Outcome of committing a submission.</summary>
public abstract record AcceptResult
{
    private AcceptResult()
    {
    }

    /// <summary>The flow is stored; <see cref="Replayed"/> is true when the idempotency key had been used with the same content.</summary>
    public sealed record Accepted(FlowRecord Flow, IReadOnlyList<ReceiptSummary> Receipts, bool Replayed) : AcceptResult;

    /// <summary>The idempotency key was already used by this sender for other content or headers.</summary>
    public sealed record IdempotencyConflict(Guid ExistingFlowId) : AcceptResult;
}
