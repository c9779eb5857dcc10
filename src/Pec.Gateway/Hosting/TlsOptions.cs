using System.ComponentModel.DataAnnotations;

namespace Pec.Gateway.Hosting;

/// <summary>The gateway's own TLS certificate, bound from <c>Pec:Tls</c>. Both PEM files are required.</summary>
internal sealed class TlsOptions
{
    /// <summary>PEM file of the server certificate (its chain may follow it in the same file).</summary>
    [Required(ErrorMessage = "Pec:Tls:CertificatePath is required (PEM server certificate).")]
    public string CertificatePath { get; set; } = "";

    /// <summary>PEM file of the server certificate's private key, unencrypted.</summary>
    [Required(ErrorMessage = "Pec:Tls:KeyPath is required (PEM private key of the server certificate).")]
    public string KeyPath { get; set; } = "";
}
