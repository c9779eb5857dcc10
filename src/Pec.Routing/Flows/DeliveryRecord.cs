namespace Pec.Routing.Flows;

/// <summary>The state of a flow for one recipient.</summary>
public sealed record DeliveryRecord(
    string RecipientId,
    string Channel,
    string Status,
    DateTimeOffset RoutedAt,
    DateTimeOffset? DeliveredAt,
    DateTimeOffset? AcknowledgedAt,
    int Attempts = 0,
    DateTimeOffset? ExpiresAt = null,
    DateTimeOffset? FailedAt = null,
    string? FailureReason = null);
