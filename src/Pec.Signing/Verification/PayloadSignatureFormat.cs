namespace Pec.Signing.Verification;

/// <summary>How a payload's signature is carried.</summary>
public enum PayloadSignatureFormat
{
    /// <summary>XML-DSig or XAdES signatures enveloped in the XML payload.</summary>
    Xml,

    /// <summary>A detached CMS (CAdES) SignedData in DER, next to a binary payload.</summary>
    CadesDetached,

    /// <summary>A compact JWS with detached payload (<c>header..signature</c>, ASCII), next to a JSON payload.</summary>
    JwsDetached,

    /// <summary>
    /// A detached XML-DSig or XAdES signature document (the XML of a <c>ds:Signature</c>, or of a document containing
    /// exactly one), next to an XML payload that one reference designates by a bare file name.
    /// </summary>
    XmlDetached,
}
