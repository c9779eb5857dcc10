using System.ComponentModel.DataAnnotations;

namespace Pec.Gateway.Authentication;

/// <summary>Trust anchors for client certificates, bound from <c>Pec:ClientAuth</c>.</summary>
internal sealed class ClientAuthOptions
{
    /// <summary>PEM file with the CA certificates that issue administrations' client certificates. Required.</summary>
    [Required(ErrorMessage = "Pec:ClientAuth:TrustedCaPath is required (PEM file of the client certificate CAs).")]
    public string TrustedCaPath { get; set; } = "";

    /// <summary>
    /// RGS level of the client certificates those CAs issue: <c>RGS*</c> (default), <c>RGS**</c> or <c>RGS***</c>.
    /// PEC seals an unsigned payload for a flow type that asks for it only when this level meets the flow type's.
    /// </summary>
    [RegularExpression(@"^RGS\*{1,3}$", ErrorMessage = "Pec:ClientAuth:CertificateLevel must be RGS*, RGS** or RGS***.")]
    public string CertificateLevel { get; set; } = "RGS*";
}
