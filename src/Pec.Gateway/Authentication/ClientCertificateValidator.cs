using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;
using Pec.Gateway.Problems;

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

    /// <summary>Returns null when the certificate is trusted, else the reason in French and English.</summary>
    public LocalizedText? Validate(X509Certificate2 certificate)
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

        return Describe(chain.ChainStatus.Aggregate(X509ChainStatusFlags.NoError, (flags, status) => flags | status.Status));
    }

    private static LocalizedText Describe(X509ChainStatusFlags flags)
    {
        if ((flags & (X509ChainStatusFlags.NotTimeValid | X509ChainStatusFlags.NotTimeNested)) != 0)
        {
            return new("il est expiré ou pas encore valide", "it is expired or not yet valid");
        }

        if ((flags & (X509ChainStatusFlags.NotValidForUsage | X509ChainStatusFlags.InvalidExtension)) != 0)
        {
            return new("il ne porte pas l'usage d'authentification client TLS", "it lacks the TLS client authentication usage");
        }

        if ((flags & (X509ChainStatusFlags.UntrustedRoot | X509ChainStatusFlags.PartialChain)) != 0)
        {
            return new("il ne remonte pas à une autorité de certification reconnue par PEC", "it does not chain to a certification authority PEC trusts");
        }

        if ((flags & X509ChainStatusFlags.NotSignatureValid) != 0)
        {
            return new("sa signature est invalide", "its signature is invalid");
        }

        return new($"sa chaîne de certification est invalide ({flags})", $"its certificate chain is invalid ({flags})");
    }

    public void Dispose()
    {
        foreach (var anchor in _anchors)
        {
            anchor.Dispose();
        }
    }
}
