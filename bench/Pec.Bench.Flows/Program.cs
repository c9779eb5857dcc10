using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Pec.Bench.Flows;

// Measures, against a running gateway (ops/run), the time from POST to 202, from 202 to the
// flow's first appearance in the recipient's mailbox, and the fetch and acknowledgement calls.
var options = BenchOptions.Parse(args);
using var deadline = new CancellationTokenSource(options.TimeLimit);
using var sender = CreateClient(options, "DILA");
using var recipient = CreateClient(options, "COMMUNE-06088");

var payload = new byte[options.PayloadBytes];
"<demande>"u8.CopyTo(payload);
payload.AsSpan(9, payload.Length - 20).Fill((byte)'x');
"</demande>\n"u8.CopyTo(payload.AsSpan(payload.Length - 11));

var accepted = new ConcurrentDictionary<Guid, long>();
var postTimes = new ConcurrentBag<double>();
var wall = Stopwatch.StartNew();

var watcher = Task.Run(() => WatchMailboxAsync(recipient, accepted, options.Flows, deadline.Token));
await Parallel.ForEachAsync(Enumerable.Range(0, options.Flows), new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency, CancellationToken = deadline.Token }, async (i, token) =>
{
    var start = Stopwatch.GetTimestamp();
    using var content = new ByteArrayContent(payload);
    content.Headers.ContentType = new MediaTypeHeaderValue("application/xml");
    using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/flows") { Content = content };
    request.Headers.Add("Pec-Flow-Type", "etat-civil.demande-acte");
    request.Headers.Add("Pec-Recipients", "COMMUNE-06088");
    request.Headers.Add("Idempotency-Key", $"bench-{Guid.NewGuid():N}");
    using var response = await sender.SendAsync(request, token);
    var end = Stopwatch.GetTimestamp();
    if (response.StatusCode != HttpStatusCode.Accepted)
    {
        throw new InvalidOperationException($"POST failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(token)}");
    }

    using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(token));
    accepted[body.RootElement.GetProperty("flowId").GetGuid()] = end;
    postTimes.Add(Stopwatch.GetElapsedTime(start, end).TotalMilliseconds);
});
var postPhase = wall.Elapsed;
var seen = await watcher;
var routed = wall.Elapsed;

var fetchTimes = new ConcurrentBag<double>();
var ackTimes = new ConcurrentBag<double>();
await Parallel.ForEachAsync(seen.Keys, new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency, CancellationToken = deadline.Token }, async (flowId, token) =>
{
    var start = Stopwatch.GetTimestamp();
    var bytes = await recipient.GetByteArrayAsync($"/api/v1/mailbox/{flowId}/payload", token);
    fetchTimes.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
    if (!bytes.AsSpan().SequenceEqual(payload))
    {
        throw new InvalidOperationException($"Flow {flowId}: payload differs.");
    }

    start = Stopwatch.GetTimestamp();
    using var ack = await recipient.PostAsync($"/api/v1/mailbox/{flowId}/ack", content: null, token);
    ack.EnsureSuccessStatusCode();
    ackTimes.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
});

var toMailbox = seen.Select(pair => Stopwatch.GetElapsedTime(accepted[pair.Key], pair.Value).TotalMilliseconds).ToList();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"flows={options.Flows} concurrency={options.Concurrency} payload={options.PayloadBytes} B"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"accepted {options.Flows} flows in {postPhase.TotalSeconds:F1} s ({options.Flows / postPhase.TotalSeconds:F0} flows/s); all in the mailbox after {routed.TotalSeconds:F1} s"));
Report("POST to 202 (ms)", postTimes);
Report("202 to mailbox (ms)", toMailbox);
Report("fetch payload (ms)", fetchTimes);
Report("acknowledge (ms)", ackTimes);
return 0;

static void Report(string name, IEnumerable<double> samples)
{
    var sorted = samples.Order().ToArray();
    double At(double q) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-22} p50 {At(0.50),7:F1}  p95 {At(0.95),7:F1}  p99 {At(0.99),7:F1}  max {sorted[^1],7:F1}"));
}

// Polls the mailbox and records when each accepted flow is first listed. The polling period (10 ms
// between passes) is part of the measured time, so the figures are upper bounds.
static async Task<Dictionary<Guid, long>> WatchMailboxAsync(HttpClient recipient, ConcurrentDictionary<Guid, long> accepted, int expected, CancellationToken token)
{
    var seen = new Dictionary<Guid, long>();
    while (seen.Count < expected)
    {
        string? cursor = null;
        do
        {
            using var page = JsonDocument.Parse(await recipient.GetStringAsync($"/api/v1/mailbox?limit=500{(cursor is null ? "" : "&cursor=" + cursor)}", token));
            var now = Stopwatch.GetTimestamp();
            foreach (var item in page.RootElement.GetProperty("items").EnumerateArray())
            {
                var id = item.GetProperty("flow").GetProperty("flowId").GetGuid();
                if (accepted.ContainsKey(id))
                {
                    seen.TryAdd(id, now);
                }
            }

            cursor = page.RootElement.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        await Task.Delay(10, token);
    }

    return seen;
}

static HttpClient CreateClient(BenchOptions options, string administration)
{
    var ca = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(options.PkiDirectory, "ca.crt"));
    using var pem = X509Certificate2.CreateFromPemFile(Path.Combine(options.PkiDirectory, $"{administration}.crt"), Path.Combine(options.PkiDirectory, $"{administration}.key"));
    var certificate = X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), password: null);
    var handler = new SocketsHttpHandler
    {
        SslOptions = new SslClientAuthenticationOptions
        {
            ClientCertificates = [certificate],
            RemoteCertificateValidationCallback = (_, server, _, _) =>
            {
                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(ca);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return server is not null && chain.Build(X509CertificateLoader.LoadCertificate(server.GetRawCertData()));
            },
        },
        MaxConnectionsPerServer = options.Concurrency + 1,
    };
    return new HttpClient(handler) { BaseAddress = options.Gateway, Timeout = TimeSpan.FromSeconds(60) };
}
