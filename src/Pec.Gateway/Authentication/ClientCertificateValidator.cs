using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;

namespace Pec.Gateway.Authentication;

/// <summary>
/// Validates client certificates against PEC's own trust anchors only, never the machine's store,
/// and requires the TLS client authentication extended key usage.
/// </summary>
internal sealed class ClientCertificateValidator : IDisposable
{
    private static readonly Oid ClientAuthentication = new("1.3.6.1.5.5.7.3.2");
    private readonly X509Certificate2Collection _anchors = [];
    private readonly TimeProvider _timeProvider;

    public ClientCertificateValidator(IOptions<ClientAuthOptions> options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        _timeProvider = timeProvider;
        var path = options.Value.TrustedCaPath;
        try
        {
            _anchors.ImportFromPemFile(path);
        }
        catch (Exception exception) when (exception is IOException or CryptographicException)
        {
            throw new InvalidOperationException($"Pec:ClientAuth:TrustedCaPath '{path}' cannot be read as PEM certificates: {exception.Message}", exception);
        }

        if (_anchors.Count == 0)
        {
            throw new InvalidOperationException($"Pec:ClientAuth:TrustedCaPath '{path}' contains no certificate.");
        }
    }

    /// <summary>Returns null when the certificate is trusted, else the chain problems in plain words.</summary>
    public string? Validate(X509Certificate2 certificate)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(_anchors);
        // NOTE: revocation is enforced through the registry for now; CRL checking comes with the signature policies.
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(ClientAuthentication);
        chain.ChainPolicy.VerificationTime = _timeProvider.GetUtcNow().UtcDateTime;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        if (chain.Build(certificate))
        {
            return null;
        }

        return string.Join(", ", chain.ChainStatus.Select(s => s.Status.ToString()).Distinct());
    }

    public void Dispose()
    {
        foreach (var anchor in _anchors)
        {
            anchor.Dispose();
        }
    }
}
