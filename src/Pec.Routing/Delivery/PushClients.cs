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

    // PublicationOnly: a failure (file missing, bad key) is not cached, so fixing the file is enough.
    private readonly ConcurrentDictionary<string, Lazy<HttpClient>> _clients = new(StringComparer.Ordinal);
    private readonly Lazy<X509Certificate2> _clientCertificate = new(() => LoadClientCertificate(options.Value), LazyThreadSafetyMode.PublicationOnly);

    public HttpClient For(string trustedCaFile) =>
        _clients.GetOrAdd(trustedCaFile, file => new Lazy<HttpClient>(() => Create(file), LazyThreadSafetyMode.PublicationOnly)).Value;

    /// <summary>Loads the delivery certificate now; throws <see cref="InvalidOperationException"/> with the reason if it cannot be used.</summary>
    public void CheckClientCertificate()
    {
        try
        {
            _ = _clientCertificate.Value;
        }
        catch (PushConfigurationException exception)
        {
            throw new InvalidOperationException(exception.Message);
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
        // A PEM file may hold several CAs (a bundle); each is a trust anchor for this recipient.
        var anchors = new X509Certificate2Collection();
        try
        {
            anchors.ImportFromPemFile(trustedCaFile);
            if (anchors.Count == 0)
            {
                throw new System.Security.Cryptography.CryptographicException("no PEM certificate in the file");
            }
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
                RemoteCertificateValidationCallback = (_, certificate, presented, errors) => IsTrusted(certificate, presented, errors, anchors),
            },
        };
        return new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
    }

    private static bool IsTrusted(X509Certificate? certificate, X509Chain? presented, SslPolicyErrors errors, X509Certificate2Collection anchors)
    {
        // Chain errors reported here are against the machine store, which PEC ignores; the name
        // check and the presence of a certificate still count.
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch) || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(anchors);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;

        // A server certificate, not one of the CA's client certificates that happens to carry the name.
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid(ServerAuthenticationOid));

        // Intermediate CAs the server sent in the handshake; the trust anchor stays the registry's CA.
        if (presented is not null)
        {
            chain.ChainPolicy.ExtraStore.AddRange(presented.ChainPolicy.ExtraStore);
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
