using System.Globalization;

namespace Pec.Faults.Tests;

/// <summary>
/// Size and seed of a fault-injection run, from the environment: <c>PEC_FAULT_FLOWS</c> (default
/// 600, the CI size), <c>PEC_FAULT_SEED</c> (random when absent, printed in the report),
/// <c>PEC_FAULT_REPORT</c> (where the report is written; default <c>.pec/test-results/fault-report.txt</c>)
/// and <c>PEC_FAULT_INJECT</c> (<c>0</c> runs the same load with no fault, as a baseline).
/// </summary>
internal sealed record FaultSettings(int Flows, int Seed, string ReportPath, bool InjectFaults = true)
{
    public const int DefaultFlows = 600;

    public static FaultSettings FromEnvironment()
    {
        var flows = int.TryParse(Environment.GetEnvironmentVariable("PEC_FAULT_FLOWS"), NumberStyles.None, CultureInfo.InvariantCulture, out var f) && f is > 0 and <= 100_000
            ? f
            : DefaultFlows;
        var seed = int.TryParse(Environment.GetEnvironmentVariable("PEC_FAULT_SEED"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var s)
            ? s
            : Random.Shared.Next();
        var report = Environment.GetEnvironmentVariable("PEC_FAULT_REPORT") is { Length: > 0 } path
            ? path
            : Path.Combine(Repository.Root, ".pec", "test-results", "fault-report.txt");
        var inject = Environment.GetEnvironmentVariable("PEC_FAULT_INJECT") != "0";
        return new FaultSettings(flows, seed, report, inject);
    }
}

/// <summary>Where the repository and the real servers are.</summary>
internal static class Repository
{
    public static string Root
    {
        get
        {
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Pec.sln")))
            {
                directory = directory.Parent;
            }

            return directory?.FullName ?? throw new InvalidOperationException("Pec.sln not found above the test binaries.");
        }
    }

    /// <summary>The build configuration of these tests (Debug or Release), used to find the hosts built beside them.</summary>
    public static string Configuration => new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;

    public static string HostDll(string project) =>
        Path.Combine(Root, "src", project, "bin", Configuration, "net10.0", project + ".dll");

    public static string Postgres => Required("PEC_TEST_POSTGRES");

    public static string RabbitMqPassword =>
        new Uri(Required("PEC_TEST_RABBITMQ")).UserInfo.Split(':', 2) is [_, var password] ? Uri.UnescapeDataString(password) : "";

    private static string Required(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{name} is not set; run the tests with ops/test, which starts the servers and sets it.");
}
