namespace Pec.Routing.Delivery;

/// <summary>A delivery that ended without success, as operators see it.</summary>
public sealed record DeadLetter(
    Guid Id,
    Guid FlowId,
    string FlowTypeId,
    string SenderId,
    string RecipientId,
    string Reason,
    string Detail,
    int Attempts,
    DateTimeOffset CreatedAt,
    string Status,
    DateTimeOffset? ResolvedAt,
    string? ResolvedBy,
    string? ResolutionNote);

/// <summary>One push attempt, as recorded.</summary>
public sealed record DeliveryAttempt(int Attempt, DateTimeOffset StartedAt, DateTimeOffset FinishedAt, string Outcome, int? HttpStatus, string? Detail);

/// <summary>Filter of the dead letter list; null members do not filter.</summary>
public sealed record DeadLetterQuery(string? Status, string? Reason, string? RecipientId, Guid? After, int Limit);

/// <summary>What an operator's replay or discard did.</summary>
public enum DeadLetterAction
{
    Done,
    NotFound,
    NotOpen,
}
