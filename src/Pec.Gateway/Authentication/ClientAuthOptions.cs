using System.ComponentModel.DataAnnotations;

namespace Pec.Gateway.Authentication;

/// <summary>Trust anchors for client certificates, bound from <c>Pec:ClientAuth</c>.</summary>
internal sealed class ClientAuthOptions
{
    /// <summary>PEM file with the CA certificates that issue administrations' client certificates. Required.</summary>
    [Required(ErrorMessage = "Pec:ClientAuth:TrustedCaPath is required (PEM file of the client certificate CAs).")]
    public string TrustedCaPath { get; set; } = "";
}
