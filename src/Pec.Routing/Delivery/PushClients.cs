using System.Collections.Concurrent;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;

namespace Pec.Routing.Delivery;

/// <summary>
/// HTTP clients for push delivery, one per recipient CA file: mutual TLS with PEC's delivery
/// certificate, and a server certificate that must chain to the CA the registry names for that
/// recipient (custom root trust; the machine's store is not consulted).
/// </summary>
internal sealed class PushClients(IOptions<DeliveryOptions> options) : IDisposable
{
    private const string ServerAuthenticationOid = "1.3.6.1.5.5.7.3.1";

    private readonly ConcurrentDictionary<string, Lazy<HttpClient>> _clients = new(StringComparer.Ordinal);
    private readonly Lazy<X509Certificate2> _clientCertificate = new(() => LoadClientCertificate(options.Value));

    public HttpClient For(string trustedCaFile)
    {
        var client = _clients.GetOrAdd(trustedCaFile, file => new Lazy<HttpClient>(() => Create(file)));
        try
        {
            return client.Value;
        }
        catch (PushConfigurationException)
        {
            // Lazy keeps the exception for good; dropping it lets a restored CA file work without a restart.
            _clients.TryRemove(new KeyValuePair<string, Lazy<HttpClient>>(trustedCaFile, client));
            throw;
        }
    }

    public void Dispose()
    {
        foreach (var client in _clients.Values.Where(c => c.IsValueCreated))
        {
            client.Value.Dispose();
        }

        if (_clientCertificate.IsValueCreated)
        {
            _clientCertificate.Value.Dispose();
        }
    }

    private HttpClient Create(string trustedCaFile)
    {
        X509Certificate2 ca;
        try
        {
            ca = X509CertificateLoader.LoadCertificateFromFile(trustedCaFile);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            throw new PushConfigurationException($"The recipient CA file '{trustedCaFile}' cannot be read: {exception.Message}", exception);
        }

        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = options.Value.AttemptTimeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
            SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificates = [_clientCertificate.Value],
                RemoteCertificateValidationCallback = (_, certificate, sent, errors) => IsTrusted(certificate, sent, errors, ca),
            },
        };
        return new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
    }

    private static bool IsTrusted(X509Certificate? certificate, X509Chain? sent, SslPolicyErrors errors, X509Certificate2 ca)
    {
        // Chain errors reported here are against the machine store, which PEC ignores; the name
        // check and the presence of a certificate still count.
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch) || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;

        // A server certificate, not one of the CA's client certificates that happens to carry the name.
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid(ServerAuthenticationOid));

        // Intermediate CAs the server sent in the handshake; the trust anchor stays the registry's CA.
        if (sent is not null)
        {
            chain.ChainPolicy.ExtraStore.AddRange(sent.ChainPolicy.ExtraStore);
        }

        using var leaf = new X509Certificate2(certificate);
        return chain.Build(leaf);
    }

    private static X509Certificate2 LoadClientCertificate(DeliveryOptions settings)
    {
        if (string.IsNullOrWhiteSpace(settings.ClientCertificatePath) || string.IsNullOrWhiteSpace(settings.ClientKeyPath))
        {
            throw new PushConfigurationException("Push delivery needs Pec:Delivery:ClientCertificatePath and Pec:Delivery:ClientKeyPath (PEC's mutual TLS certificate).");
        }

        try
        {
            using var pem = X509Certificate2.CreateFromPemFile(settings.ClientCertificatePath, settings.ClientKeyPath);
            // A PKCS#12 round trip gives SslStream a key it can use on every platform.
            return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            throw new PushConfigurationException($"PEC's delivery certificate '{settings.ClientCertificatePath}' cannot be loaded: {exception.Message}", exception);
        }
    }
}

/// <summary>Push delivery is not configured well enough to attempt anything; attempts fail as unreachable with this message.</summary>
internal sealed class PushConfigurationException(string message, Exception? inner = null) : Exception(message, inner);
