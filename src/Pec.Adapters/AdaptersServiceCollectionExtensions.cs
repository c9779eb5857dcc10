using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Pec.Adapters.Payloads;

namespace Pec.Adapters;

/// <summary>Registers the storage and transport adapters.</summary>
public static class AdaptersServiceCollectionExtensions
{
    /// <summary>Adds the payload store, bound to <c>Pec:Payloads</c> and validated at start.</summary>
    public static IServiceCollection AddPecPayloadStore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PayloadStoreOptions>()
            .Bind(configuration.GetSection("Pec:Payloads"))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<PayloadStore>();
        return services;
    }
}
