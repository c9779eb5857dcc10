using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Pec.Faults.Tests;

/// <summary>One flow the suite submits, and when (if ever) it got its 202.</summary>
internal sealed record SubmittedFlow(int Index, string FlowType, string Recipients, string? CorrelationId, string PayloadSha256)
{
    public Guid FlowId { get; set; }

    public DateTimeOffset? AcceptedAt { get; set; }

    public int Tries { get; set; }
}

/// <summary>
/// Submits the flows as a client system would through outages: same Idempotency-Key on every
/// retry, retry on no answer, 5xx or 503 with Retry-After honoured up to a bound; any 4xx other
/// than those is a failure of the suite.
/// </summary>
internal sealed class LoadGenerator(HttpClient client, Random random)
{
    private static readonly string[] PushRecipients = ["PUSH-OK", "PUSH-FLAKY", "PUSH-SLOW"];

    public ConcurrentBag<DateTimeOffset> AcceptTimes { get; } = [];

    public List<SubmittedFlow> Plan(int count)
    {
        var flows = new List<SubmittedFlow>(count);
        for (var i = 0; i < count; i++)
        {
            string flowType, recipients;
            string? correlation = null;
            if (i % 10 == 9)
            {
                flowType = "fault.ordonne";
                recipients = "PUSH-OK";
                correlation = $"dossier-{i / 10 % 5}";
            }
            else
            {
                flowType = "fault.flux";
                var all = PushRecipients.Append("COMMUNE-06088").OrderBy(_ => random.Next()).Take(1 + random.Next(3));
                recipients = string.Join(",", all);
            }

            var payload = Payload(i);
            flows.Add(new SubmittedFlow(i, flowType, recipients, correlation, Convert.ToHexStringLower(SHA256.HashData(payload))) { });
        }

        return flows;
    }

    public static byte[] Payload(int index) =>
        Encoding.UTF8.GetBytes($"<flux n=\"{index}\">{new string('x', 200 + (index * 7919 % 3000))}</flux>");

    public async Task SubmitAllAsync(IReadOnlyList<SubmittedFlow> flows, int concurrency, Action<int> progress, CancellationToken cancellationToken)
    {
        var next = -1;
        var done = 0;
        var workers = Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < flows.Count)
            {
                await SubmitAsync(flows[index], cancellationToken);
                progress(Interlocked.Increment(ref done));
            }
        });
        await Task.WhenAll(workers);
    }

    private async Task SubmitAsync(SubmittedFlow flow, CancellationToken cancellationToken)
    {
        var key = $"fault-{flow.Index}-{flow.PayloadSha256[..16]}";
        var payload = Payload(flow.Index);

        var deadline = TimeProvider.System.GetUtcNow().AddMinutes(3);
        while (true)
        {
            flow.Tries++;
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/flows") { Content = new ByteArrayContent(payload) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/xml");
            request.Headers.Add("Pec-Flow-Type", flow.FlowType);
            request.Headers.Add("Pec-Recipients", flow.Recipients);
            request.Headers.Add("Idempotency-Key", key);
            if (flow.CorrelationId is not null)
            {
                request.Headers.Add("Pec-Correlation-Id", flow.CorrelationId);
            }

            try
            {
                using var response = await client.SendAsync(request, cancellationToken);
                if (response.StatusCode == HttpStatusCode.Accepted)
                {
                    var body = await response.Content.ReadAsStringAsync(cancellationToken);
                    flow.FlowId = JsonDocument.Parse(body).RootElement.GetProperty("flowId").GetGuid();
                    flow.AcceptedAt = TimeProvider.System.GetUtcNow();
                    AcceptTimes.Add(flow.AcceptedAt.Value);
                    return;
                }

                if ((int)response.StatusCode is < 500 and not 408 and not 429)
                {
                    throw new InvalidOperationException($"flow {flow.Index}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // The gateway is down or restarting: the same request is sent again with the same key.
            }

            if (TimeProvider.System.GetUtcNow() > deadline)
            {
                throw new TimeoutException($"flow {flow.Index} got no 202 within 3 minutes of retries");
            }

            await Task.Delay(200 + Random.Shared.Next(300), cancellationToken);
        }
    }
}
