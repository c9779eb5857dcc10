namespace Pec.Routing.Flows;

/// <summary>Auditor search filters; every filter is optional. Results are ordered by flow id (acceptance order).</summary>
public sealed record FlowSearch(
    string? SenderId,
    string? RecipientId,
    string? FlowTypeId,
    string? Status,
    DateTimeOffset? AcceptedFrom,
    DateTimeOffset? AcceptedTo,
    Guid? After,
    int Limit);
