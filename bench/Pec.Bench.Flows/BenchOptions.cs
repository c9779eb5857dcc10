using System.Globalization;
using System.Net;

namespace Pec.Bench.Flows;

/// <summary>Command-line settings of the flow latency benchmark.</summary>
internal sealed record BenchOptions(Uri Gateway, string PkiDirectory, int Flows, int Concurrency, int PayloadBytes, TimeSpan TimeLimit)
{
    public static BenchOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            values[args[i]] = args[i + 1];
        }

        var options = new BenchOptions(
            new Uri(values.GetValueOrDefault("--gateway", "https://127.0.0.1:8443")),
            values.GetValueOrDefault("--pki", ".pec/pki"),
            int.Parse(values.GetValueOrDefault("--flows", "200"), CultureInfo.InvariantCulture),
            int.Parse(values.GetValueOrDefault("--concurrency", "4"), CultureInfo.InvariantCulture),
            int.Parse(values.GetValueOrDefault("--payload-bytes", "4096"), CultureInfo.InvariantCulture),
            TimeSpan.FromSeconds(int.Parse(values.GetValueOrDefault("--time-limit-seconds", "300"), CultureInfo.InvariantCulture)));

        // Load goes only to a gateway on this machine.
        if (!IPAddress.TryParse(options.Gateway.Host, out var address) || !IPAddress.IsLoopback(address))
        {
            throw new ArgumentException($"--gateway must be a loopback address such as https://127.0.0.1:8443, not {options.Gateway}.");
        }

        if (options.Flows is < 1 or > 100_000 || options.Concurrency is < 1 or > 64 || options.PayloadBytes is < 1 or > 10_000_000)
        {
            throw new ArgumentException("--flows must be 1..100000, --concurrency 1..64, --payload-bytes 1..10000000.");
        }

        return options;
    }
}
