using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Options;
using Pec.Signing.Verification.Trust;

namespace Pec.Signing.Verification;

/// <summary>Loads every anchor and CRL file at start, so that a wrong path or file stops the host instead of the first verification.</summary>
[SuppressMessage("Performance", "CA1812", Justification = "Instantiated by the options system through AddSingleton.")]
internal sealed class SignaturePolicyOptionsValidator : IValidateOptions<SignaturePolicyOptions>
{
    public ValidateOptionsResult Validate(string? name, SignaturePolicyOptions options)
    {
        try
        {
            SignaturePolicy.Load(options);
            return ValidateOptionsResult.Success;
        }
        catch (InvalidOperationException ex)
        {
            return ValidateOptionsResult.Fail(ex.Message);
        }
    }
}
