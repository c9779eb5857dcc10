namespace Pec.Routing.Registry;

/// <summary>What a registered party may do: exchange flows, or read everything as an auditor.</summary>
public enum AdministrationRole
{
    Administration,
    Auditor,
}
