namespace Pec.Signing.Receipts;

/// <summary>The content of a PEC receipt, before signing or after verification.</summary>
/// <param name="ReceiptId">Identifier of this receipt.</param>
/// <param name="Kind">The event attested.</param>
/// <param name="FlowId">The flow the receipt is about.</param>
/// <param name="FlowType">Type of the flow.</param>
/// <param name="Sender">Sender of the flow.</param>
/// <param name="Recipients">Recipients of the flow, in order.</param>
/// <param name="Payload">The deposited payload.</param>
/// <param name="EventTime">When the event happened; written in UTC, truncated to the millisecond.</param>
/// <param name="IssuedAt">When the receipt was issued; written in UTC, truncated to the millisecond.</param>
/// <param name="Reason">Why, for example for a non-delivery; omitted when null.</param>
/// <param name="Reply">The reply payload, for example for an acknowledgement; omitted when null.</param>
/// <param name="PayloadSignature">The sender's verified signature of the payload; omitted when null.</param>
public sealed record ReceiptDocument(
    Guid ReceiptId,
    ReceiptKind Kind,
    Guid FlowId,
    string FlowType,
    string Sender,
    IReadOnlyList<string> Recipients,
    PayloadDescription Payload,
    DateTimeOffset EventTime,
    DateTimeOffset IssuedAt,
    string? Reason = null,
    PayloadDescription? Reply = null,
    PayloadSignature? PayloadSignature = null);
