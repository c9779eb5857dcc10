using System.Xml;

namespace Pec.Signing.Verification.Dsig;

/// <summary>A <c>ds:Reference</c> of SignedInfo, as written.</summary>
internal sealed class DsigReference
{
    public required XmlElement Element { get; init; }

    public string? Id { get; init; }

    /// <summary>The URI attribute, or null when absent (which XML-DSig leaves to the application).</summary>
    public string? Uri { get; init; }

    public string? Type { get; init; }

    public required IReadOnlyList<DsigTransform> Transforms { get; init; }

    public required string DigestMethod { get; init; }

    /// <summary>DigestValue text as found; decoded when comparing, so that a damaged value reads as a mismatch.</summary>
    public required string DigestValueText { get; init; }

    public bool IsSignedProperties => string.Equals(Type, Xml.XmlNamespaces.XadesSignedPropertiesType, StringComparison.Ordinal);

    /// <summary>How the reference is named in messages.</summary>
    public string Describe() => Uri is null ? "Reference without URI" : $"Reference URI=\"{Uri}\"";
}
