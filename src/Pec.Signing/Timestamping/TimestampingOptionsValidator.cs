using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Options;

namespace Pec.Signing.Timestamping;

/// <summary>Checks <see cref="TimestampingOptions"/> at start, anchors file included.</summary>
[SuppressMessage("Performance", "CA1812", Justification = "Instantiated by the options pipeline.")]
internal sealed class TimestampingOptionsValidator : IValidateOptions<TimestampingOptions>
{
    private static readonly TimeSpan MaximumTimeout = TimeSpan.FromMinutes(5);

    public ValidateOptionsResult Validate(string? name, TimestampingOptions options)
    {
        var failures = new List<string>();
        if (options.Timeout <= TimeSpan.Zero || options.Timeout > MaximumTimeout)
        {
            failures.Add($"{TimestampingOptions.SectionName}:Timeout must be between 0 and {MaximumTimeout} (found {options.Timeout}).");
        }

        if (options.IsEnabled)
        {
            if (!Uri.TryCreate(options.Url, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            {
                failures.Add($"{TimestampingOptions.SectionName}:Url must be an absolute http or https URL (found '{options.Url}').");
            }

            if (string.IsNullOrWhiteSpace(options.TrustedTsaCertificatePath))
            {
                failures.Add(
                    $"{TimestampingOptions.SectionName}:TrustedTsaCertificatePath is required when {TimestampingOptions.SectionName}:Url is set " +
                    "(PEM CA certificates of the TSA).");
            }
        }

        if (!string.IsNullOrWhiteSpace(options.TrustedTsaCertificatePath))
        {
            try
            {
                _ = TsaTrust.LoadAnchors(options.TrustedTsaCertificatePath);
            }
            catch (InvalidOperationException ex)
            {
                failures.Add(ex.Message);
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
