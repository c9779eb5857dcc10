using System.ComponentModel.DataAnnotations;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace Pec.Gateway.Hosting;

/// <summary>Configures Kestrel's HTTPS: PEC's server certificate, TLS 1.2 or later, and client certificates.</summary>
internal static class KestrelTls
{
    public static void Configure(WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection("Pec:Tls").Get<TlsOptions>() ?? new TlsOptions();
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
        {
            throw new InvalidOperationException(string.Join(Environment.NewLine, results.Select(r => r.ErrorMessage)));
        }

        var certificate = Load(options);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.ConfigureHttpsDefaults(https =>
            {
                https.ServerCertificate = certificate;
                https.SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13;

                // Kestrel asks for a certificate on every connection, so that /api/v1 can require one
                // while /health and /openapi stay open. The chain is checked by ClientCertificateHandler
                // against PEC's own anchors; Kestrel's default check would use the machine's store.
                https.ClientCertificateMode = ClientCertificateMode.AllowCertificate;
                https.AllowAnyClientCertificate();
            });
        });
    }

    private static X509Certificate2 Load(TlsOptions options)
    {
        try
        {
            return X509Certificate2.CreateFromPemFile(options.CertificatePath, options.KeyPath);
        }
        catch (Exception exception) when (exception is IOException or CryptographicException or ArgumentException)
        {
            throw new InvalidOperationException(
                $"The TLS certificate '{options.CertificatePath}' with key '{options.KeyPath}' cannot be loaded: {exception.Message}", exception);
        }
    }
}
