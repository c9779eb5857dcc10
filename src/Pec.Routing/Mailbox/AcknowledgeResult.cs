using Pec.Routing.Receipts;

namespace Pec.Routing.Mailbox;

/// <summary>Outcome of an acknowledgement.</summary>
public abstract record AcknowledgeResult
{
    private AcknowledgeResult()
    {
    }

    public sealed record Acknowledged(ReceiptSummary Receipt) : AcknowledgeResult;

    /// <summary>The payload was never fetched: a recipient acknowledges only what it received.</summary>
    public sealed record NotDelivered : AcknowledgeResult;

    /// <summary>Already acknowledged with another reply document.</summary>
    public sealed record Conflict : AcknowledgeResult;

    public sealed record NotFound : AcknowledgeResult;
}
