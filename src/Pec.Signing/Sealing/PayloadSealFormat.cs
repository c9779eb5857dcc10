namespace Pec.Signing.Sealing;

/// <summary>How <see cref="PayloadSealer"/> sealed a payload.</summary>
public enum PayloadSealFormat
{
    /// <summary>The XML payload itself, with an enveloped XAdES B-B signature appended to its root element.</summary>
    XadesEnveloped,

    /// <summary>A detached CAdES signature (CMS SignedData, DER) over the unchanged payload bytes.</summary>
    CadesDetached,
}

/// <summary>The result of <see cref="PayloadSealer.Seal"/>.</summary>
/// <param name="Format">How the payload was sealed.</param>
/// <param name="Content">The sealed XML document (<see cref="PayloadSealFormat.XadesEnveloped"/>) or the detached DER signature.</param>
public sealed record SealedPayload(PayloadSealFormat Format, byte[] Content);
