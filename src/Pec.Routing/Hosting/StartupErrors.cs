using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Pec.Routing.Hosting;

/// <summary>
/// Recognizes configuration errors raised while a PEC host (gateway or router) starts, and reports
/// them as a list of what to fix, without a stack trace.
/// </summary>
public static class StartupErrors
{
    /// <summary>
    /// Validates every options class before anything starts, and throws one exception listing all
    /// failures. The host's own start-up check stops at whichever component reads its options first.
    /// </summary>
    public static void ValidateAll(IServiceProvider services, IEnumerable<Type> optionsTypes)
    {
        var failures = new List<Exception>();
        foreach (var type in optionsTypes)
        {
            try
            {
                var options = services.GetRequiredService(typeof(IOptions<>).MakeGenericType(type));
                _ = options.GetType().GetProperty(nameof(IOptions<object>.Value))!.GetValue(options);
            }
            catch (System.Reflection.TargetInvocationException exception) when (exception.InnerException is OptionsValidationException validation)
            {
                failures.Add(validation);
            }
        }

        if (failures.Count > 0)
        {
            throw new AggregateException(failures);
        }
    }

    public static bool IsConfigurationError(Exception exception) => exception switch
    {
        OptionsValidationException => true,
        AggregateException aggregate => aggregate.InnerExceptions.All(IsConfigurationError),
        InvalidOperationException { InnerException: null or IOException or System.Security.Cryptography.CryptographicException } => true,
        _ => false,
    };

    public static IEnumerable<string> Messages(Exception exception) => exception switch
    {
        OptionsValidationException validation => validation.Failures,
        AggregateException aggregate => aggregate.InnerExceptions.SelectMany(Messages),
        _ => [exception.Message],
    };

    /// <summary>Writes the French report of a configuration error to standard error, for the operator starting <paramref name="host"/>.</summary>
    public static async Task ReportAsync(string host, Exception exception)
    {
        await Console.Error.WriteLineAsync($"{host} de PEC ne peut pas démarrer ; corrigez la configuration :");
        foreach (var message in Messages(exception))
        {
            await Console.Error.WriteLineAsync($"- {message}");
        }
    }
}
