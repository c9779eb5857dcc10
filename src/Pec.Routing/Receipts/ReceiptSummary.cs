namespace Pec.Routing.Receipts;

/// <summary>A receipt as listed by the API: its id, kind wire name, the recipient it concerns (if any) and when it was issued.</summary>
public sealed record ReceiptSummary(Guid ReceiptId, string Kind, string? RecipientId, DateTimeOffset IssuedAt);
