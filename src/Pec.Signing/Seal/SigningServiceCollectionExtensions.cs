using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Pec.Signing.Receipts;
using Pec.Signing.Sealing;
using Pec.Signing.Timestamping;

namespace Pec.Signing.Seal;

/// <summary>Registers the platform seal and the receipt signer.</summary>
public static class SigningServiceCollectionExtensions
{
    /// <summary>
    /// Binds <c>Pec:Seal</c> to <see cref="PlatformSealOptions"/> and <c>Pec:Timestamping</c> to
    /// <see cref="TimestampingOptions"/> (both validated at start), registers <see cref="PlatformSeal"/>,
    /// <see cref="ReceiptSigner"/>, <see cref="ReceiptVerifier"/> (TSA anchors from <c>Pec:Timestamping</c>),
    /// <see cref="ReceiptTimestamper"/> and <see cref="PayloadSealer"/> as singletons, and loads the seal when the
    /// host starts so that a missing or unacceptable key fails the start.
    /// </summary>
    public static IServiceCollection AddPecSigning(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddOptions<PlatformSealOptions>()
            .Bind(configuration.GetSection(PlatformSealOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        // A factory, because PlatformSeal has a second public constructor (certificate with key) for tests.
        services.TryAddSingleton(sp => new PlatformSeal(sp.GetRequiredService<IOptions<PlatformSealOptions>>().Value));
        services.TryAddSingleton<ReceiptSigner>();
        services.AddOptions<TimestampingOptions>()
            .Bind(configuration.GetSection(TimestampingOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TimestampingOptions>, TimestampingOptionsValidator>());

        services.TryAddSingleton(sp =>
        {
            var timestamping = sp.GetRequiredService<IOptions<TimestampingOptions>>().Value;
            var options = new ReceiptVerifierOptions
            {
                TrustedTsaCertificates = string.IsNullOrWhiteSpace(timestamping.TrustedTsaCertificatePath)
                    ? []
                    : TsaTrust.LoadAnchors(timestamping.TrustedTsaCertificatePath),
            };
            return new ReceiptVerifier(sp.GetService<TimeProvider>() ?? TimeProvider.System, options);
        });
        services.TryAddSingleton(sp =>
        {
            var timestamping = sp.GetRequiredService<IOptions<TimestampingOptions>>().Value;
            // One HttpClient for the process; PooledConnectionLifetime lets DNS changes of the TSA host take effect.
            var client = timestamping.IsEnabled
                ? new TimestampClient(
                    new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = Timeout.InfiniteTimeSpan },
                    timestamping)
                : null;
            return new ReceiptTimestamper(client);
        });
        services.TryAddSingleton(sp => new PayloadSealer(sp.GetRequiredService<PlatformSeal>(), sp.GetService<TimeProvider>() ?? TimeProvider.System));
        services.AddHostedService<PlatformSealStartupCheck>();
        return services;
    }
}
