namespace Pec.Routing.Registry;

/// <summary>
/// The kinds of routing code an administration may carry in the registry, with the form each
/// value must have. Recipient rules map payload values to administrations through these codes.
/// </summary>
public static class RoutingCodeKinds
{
    /// <summary>Commune code of the INSEE Code officiel géographique: five characters, the first two being a département (digits, or 2A/2B for Corse).</summary>
    public const string Insee = "insee";

    /// <summary>SIREN of the legal entity: nine digits.</summary>
    public const string Siren = "siren";

    /// <summary>SIRET of an establishment: fourteen digits.</summary>
    public const string Siret = "siret";

    public static IReadOnlyList<string> All { get; } = [Insee, Siren, Siret];

    public static bool IsKnown(string kind) => All.Contains(kind, StringComparer.Ordinal);

    /// <summary>True when <paramref name="value"/> has the form codes of <paramref name="kind"/> take.</summary>
    public static bool IsWellFormed(string kind, string value) => kind switch
    {
        Insee => value.Length == 5
            && (value[..2] is "2A" or "2B" || (char.IsAsciiDigit(value[0]) && char.IsAsciiDigit(value[1])))
            && value[2..].All(char.IsAsciiDigit),
        Siren => value.Length == 9 && value.All(char.IsAsciiDigit),
        Siret => value.Length == 14 && value.All(char.IsAsciiDigit),
        _ => false,
    };
}
