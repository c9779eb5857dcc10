using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Pec.Signing.Seal;

/// <summary>
/// Resolves the seal when the host starts: the singleton would otherwise be built on the first receipt,
/// and an unusable key would only show up then.
/// </summary>
[SuppressMessage("Performance", "CA1812", Justification = "Instantiated by the host through AddHostedService.")]
internal sealed class PlatformSealStartupCheck(PlatformSeal seal, ILogger<PlatformSealStartupCheck> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var certificate = seal.Certificate;
        Log.SealLoaded(
            logger,
            certificate.Subject,
            certificate.Issuer,
            certificate.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256),
            seal.SignatureMethod,
            certificate.NotAfter.ToUniversalTime());
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
