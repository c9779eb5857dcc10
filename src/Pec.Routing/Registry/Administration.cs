namespace Pec.Routing.Registry;

/// <summary>A participant of PEC, identified by a short stable code such as <c>DILA</c> or <c>COMMUNE-06088</c>.</summary>
public sealed record Administration(string Id, string Name, string? Siren, AdministrationRole Role);
