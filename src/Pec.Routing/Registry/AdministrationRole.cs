namespace Pec.Routing.Registry;

/// <summary>
/// What a registered party may do: exchange flows, read everything as an auditor, or, as an
/// operator, act on dead letters.
/// </summary>
public enum AdministrationRole
{
    Administration,
    Auditor,
    Operator,
}

/// <summary>Converts roles to and from their stored names.</summary>
internal static class AdministrationRoles
{
    public static string ToWireName(AdministrationRole role) => role switch
    {
        AdministrationRole.Auditor => "auditor",
        AdministrationRole.Operator => "operator",
        _ => "administration",
    };

    public static AdministrationRole Parse(string name) => name switch
    {
        "auditor" => AdministrationRole.Auditor,
        "operator" => AdministrationRole.Operator,
        _ => AdministrationRole.Administration,
    };
}
