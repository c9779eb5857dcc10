using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Pec.Signing.Verification;

/// <summary>Registers the signature verifiers (XML, CAdES, JWS) and the entry point that dispatches between them.</summary>
public static class SignatureVerificationServiceCollectionExtensions
{
    /// <summary>
    /// Binds <c>Pec:Signatures</c> to <see cref="SignaturePolicyOptions"/>, checks at host start that every anchor and
    /// CRL file exists and parses, and registers <see cref="XmlSignatureVerifier"/>, <see cref="Cades.CadesSignatureVerifier"/>,
    /// <see cref="Jws.JwsSignatureVerifier"/> and <see cref="PayloadSignatureVerifier"/> as singletons using the registered
    /// <see cref="TimeProvider"/> (or the system clock).
    /// </summary>
    public static IServiceCollection AddPecSignatureVerification(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddOptions<SignaturePolicyOptions>()
            .Bind(configuration.GetSection(SignaturePolicyOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SignaturePolicyOptions>, SignaturePolicyOptionsValidator>());
        services.TryAddSingleton(sp => new XmlSignatureVerifier(
            sp.GetRequiredService<IOptions<SignaturePolicyOptions>>().Value,
            sp.GetService<TimeProvider>() ?? TimeProvider.System));
        services.TryAddSingleton(sp => new Cades.CadesSignatureVerifier(
            sp.GetRequiredService<IOptions<SignaturePolicyOptions>>().Value,
            sp.GetService<TimeProvider>() ?? TimeProvider.System));
        services.TryAddSingleton(sp => new Jws.JwsSignatureVerifier(
            sp.GetRequiredService<IOptions<SignaturePolicyOptions>>().Value,
            sp.GetService<TimeProvider>() ?? TimeProvider.System));
        services.TryAddSingleton(sp => new PayloadSignatureVerifier(
            sp.GetRequiredService<XmlSignatureVerifier>(),
            sp.GetRequiredService<Cades.CadesSignatureVerifier>(),
            sp.GetRequiredService<Jws.JwsSignatureVerifier>()));
        return services;
    }
}
