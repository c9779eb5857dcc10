using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Options;

namespace Pec.Gateway.Hosting;

/// <summary>Configures Kestrel's HTTPS: PEC's server certificate, TLS 1.2 or later, and client certificates.</summary>
internal static class KestrelTls
{
    public static void Configure(WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<TlsOptions>()
            .Bind(builder.Configuration.GetSection("Pec:Tls"))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            // Kestrel's options are built with the application, before options are validated at start:
            // loading the certificate on the first handshake lets a missing setting be reported with the others.
            var services = kestrel.ApplicationServices;
            var certificate = new Lazy<X509Certificate2>(() => Load(services.GetRequiredService<IOptions<TlsOptions>>().Value));
            kestrel.AddServerHeader = false;
            kestrel.ConfigureHttpsDefaults(https =>
            {
                https.ServerCertificateSelector = (_, _) => certificate.Value;
                https.SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13;

                // Kestrel requests a certificate on every connection, so that /api/v1 can require one
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
