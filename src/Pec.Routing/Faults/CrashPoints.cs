using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Pec.Routing.Faults;

/// <summary>
/// Places where the fault-injection suite kills the process on purpose, as <c>kill -9</c> would, at
/// the moments no outside signal can hit reliably: between a commit and the next step. Off unless
/// <c>Pec:Faults:CrashPoints:&lt;name&gt;</c> gives a probability; never set it in production.
/// </summary>
public static class CrashPoints
{
    /// <summary>The flow is committed (deposit receipt included) and the 202 not yet sent.</summary>
    public const string AfterAcceptCommit = "after-accept-commit";

    /// <summary>RabbitMQ confirmed the outbox message, and the row is not marked sent yet.</summary>
    public const string AfterPublishBeforeMark = "after-publish-before-mark";

    /// <summary>The recipient responded to the push, and the outcome is not recorded nor the message acknowledged.</summary>
    public const string AfterPushBeforeRecord = "after-push-before-record";

    private static Dictionary<string, double> s_probabilities = [];

    /// <summary>Reads <c>Pec:Faults:CrashPoints</c>; called once by the host at start.</summary>
    public static void Configure(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        s_probabilities = configuration.GetSection("Pec:Faults:CrashPoints").GetChildren()
            .Where(c => double.TryParse(c.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var p) && p > 0)
            .ToDictionary(c => c.Key, c => double.Parse(c.Value!, CultureInfo.InvariantCulture), StringComparer.Ordinal);
    }

    /// <summary>Kills the process with SIGKILL when the point is armed and the draw falls under its probability.</summary>
    public static void Hit(string name)
    {
        if (s_probabilities.Count == 0 || !s_probabilities.TryGetValue(name, out var probability) || Random.Shared.NextDouble() >= probability)
        {
            return;
        }

        Console.Error.WriteLine($"fault injection: crash point {name} hit; killing process {Environment.ProcessId}");
        Console.Error.Flush();
        using var self = Process.GetCurrentProcess();
        self.Kill();
    }
}
