namespace Pec.Routing.Audit;

/// <summary>Names of the audit log events; stable, because auditors search by them.</summary>
public static class AuditEvent
{
    public const string FlowAccepted = "flow.accepted";
    public const string FlowRejected = "flow.rejected";
    public const string FlowRouted = "flow.routed";
    public const string FlowDelivered = "flow.delivered";
    public const string FlowAcknowledged = "flow.acknowledged";
    public const string DeliveryFailed = "flow.delivery-failed";
    public const string DeadLetterReplayed = "dead-letter.replayed";
    public const string DeadLetterDiscarded = "dead-letter.discarded";
    public const string ReceiptIssued = "receipt.issued";
    public const string ReceiptTimestamped = "receipt.timestamped";
}
