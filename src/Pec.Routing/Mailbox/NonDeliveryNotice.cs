namespace Pec.Routing.Mailbox;

/// <summary>
/// Tells a sender that one of its flows could not be delivered to one recipient: the reason, the
/// non-delivery receipt that proves it, and the delivery's current status (an operator may have replayed it since).
/// </summary>
public sealed record NonDeliveryNotice(
    Guid ReceiptId,
    Guid FlowId,
    string FlowTypeId,
    string RecipientId,
    string? Reason,
    DateTimeOffset IssuedAt,
    string DeliveryStatus);
