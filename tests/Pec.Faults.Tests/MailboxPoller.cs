using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;

namespace Pec.Faults.Tests;

/// <summary>
/// The pull recipient: lists its mailbox, fetches each payload and acknowledges it, through every
/// outage, as a back office polling PEC would. Counts the complete fetches of each flow.
/// </summary>
internal sealed class MailboxPoller(HttpClient client)
{
    public ConcurrentDictionary<Guid, int> Fetches { get; } = new();

    public ConcurrentDictionary<Guid, string> FetchedSha256 { get; } = new();

    public ConcurrentBag<string> Mismatches { get; } = [];

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var page = await client.GetFromJsonAsync<JsonElement>("/api/v1/mailbox?limit=100", cancellationToken);
                foreach (var item in page.GetProperty("items").EnumerateArray())
                {
                    await HandleAsync(item, cancellationToken);
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or JsonException && !cancellationToken.IsCancellationRequested)
            {
                // The gateway is restarting; poll again.
            }

            await Task.Delay(200, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task HandleAsync(JsonElement item, CancellationToken cancellationToken)
    {
        var flow = item.GetProperty("flow");
        var flowId = flow.GetProperty("flowId").GetGuid();
        var expected = flow.GetProperty("payload").GetProperty("sha256").GetString()!;
        var bytes = await client.GetByteArrayAsync($"/api/v1/mailbox/{flowId}/payload", cancellationToken);
        var actual = Convert.ToHexStringLower(SHA256.HashData(bytes));
        Fetches.AddOrUpdate(flowId, 1, (_, n) => n + 1);
        if (FetchedSha256.GetOrAdd(flowId, actual) != actual || actual != expected)
        {
            Mismatches.Add($"{flowId}: fetched {actual}, expected {expected}");
        }

        // A fetch is recorded just after the last byte; the ack may meet 409 until then, and is retried on the next poll.
        using var ack = await client.PostAsync($"/api/v1/mailbox/{flowId}/ack", content: null, cancellationToken);
        if (!ack.IsSuccessStatusCode && ack.StatusCode != HttpStatusCode.Conflict && (int)ack.StatusCode < 500)
        {
            Mismatches.Add($"{flowId}: ack answered {(int)ack.StatusCode}");
        }
    }
}
