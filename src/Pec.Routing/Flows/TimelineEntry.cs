namespace Pec.Routing.Flows;

/// <summary>One audit log entry about a flow, as the status endpoint shows it.</summary>
public sealed record TimelineEntry(long Sequence, DateTimeOffset At, string Event, string? ActorId);
