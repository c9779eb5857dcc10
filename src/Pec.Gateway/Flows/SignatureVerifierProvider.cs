using Microsoft.Extensions.Options;
using Pec.Signing.Verification;

namespace Pec.Gateway.Flows;

/// <summary>
/// Holds the signature verifier in use and rebuilds it on a schedule, so that CRL files replaced on
/// disk take effect without a restart. A rebuild that fails (a file half-written, say) keeps the
/// previous verifier and is retried at the next interval.
/// </summary>
internal sealed class SignatureVerifierProvider(
    IOptions<SignaturePolicyOptions> options,
    TimeProvider timeProvider,
    IConfiguration configuration,
    ILogger<SignatureVerifierProvider> logger) : BackgroundService
{
    // Configuration key of the reload period; default one hour, as CRLs are usually issued daily or weekly.
    private const string IntervalKey = "Pec:Signatures:CrlRefreshInterval";

    private PayloadSignatureVerifier? _current;

    public PayloadSignatureVerifier Current => _current ??= new PayloadSignatureVerifier(options.Value, timeProvider);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = configuration.GetValue(IntervalKey, TimeSpan.FromHours(1));
        if (interval <= TimeSpan.Zero)
        {
            return;
        }

        using var timer = new PeriodicTimer(interval, timeProvider);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                _current = new PayloadSignatureVerifier(options.Value, timeProvider);
                Log.SignatureTrustReloaded(logger);
            }
            catch (InvalidOperationException exception)
            {
                Log.SignatureTrustReloadFailed(logger, exception);
            }
        }
    }
}
