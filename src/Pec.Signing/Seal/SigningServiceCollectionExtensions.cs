using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Pec.Signing.Receipts;

namespace Pec.Signing.Seal;

/// <summary>Registers the platform seal and the receipt signer.</summary>
public static class SigningServiceCollectionExtensions
{
    /// <summary>
    /// Binds <c>Pec:Seal</c> to <see cref="PlatformSealOptions"/> (validated at start), registers
    /// <see cref="PlatformSeal"/>, <see cref="ReceiptSigner"/> and <see cref="ReceiptVerifier"/> as singletons,
    /// and loads the seal when the host starts so that a missing or unacceptable key fails the start.
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
        services.TryAddSingleton(sp => new ReceiptVerifier(sp.GetService<TimeProvider>() ?? TimeProvider.System));
        services.AddHostedService<PlatformSealStartupCheck>();
        return services;
    }
}
