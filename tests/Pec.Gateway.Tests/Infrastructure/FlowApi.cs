using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Pec.Gateway.Tests.Infrastructure;

/// <summary>Calls of the public API as a client system makes them.</summary>
internal static class FlowApi
{
    public static async Task<HttpResponseMessage> PostFlowAsync(
        HttpClient client, string flowType, string? recipients, byte[] payload, string contentType, string? idempotencyKey = null, string? correlationId = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/flows");
        request.Content = new ByteArrayContent(payload);
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        request.Headers.Add("Pec-Flow-Type", flowType);

        // Null leaves Pec-Recipients out, for flow types whose rules derive the recipients from the payload.
        if (recipients is not null)
        {
            request.Headers.Add("Pec-Recipients", recipients);
        }

        request.Headers.Add("Idempotency-Key", idempotencyKey ?? Guid.NewGuid().ToString());
        if (correlationId is not null)
        {
            request.Headers.Add("Pec-Correlation-Id", correlationId);
        }

        return await client.SendAsync(request);
    }

    public static async Task<Guid> PostAcceptedAsync(HttpClient client, string flowType, string? recipients, byte[] payload, string contentType)
    {
        using var response = await PostFlowAsync(client, flowType, recipients, payload, contentType);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"POST {flowType}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("flowId").GetGuid();
    }

    /// <summary>Polls the mailbox until the flow appears, up to the timeout; returns the entry.</summary>
    public static async Task<JsonElement> WaitInMailboxAsync(HttpClient client, Guid flowId, TimeSpan timeout)
    {
        var deadline = TimeProvider.System.GetUtcNow() + timeout;
        while (true)
        {
            string? cursor = null;
            do
            {
                var page = await client.GetFromJsonAsync<JsonElement>($"/api/v1/mailbox?limit=500{(cursor is null ? "" : "&cursor=" + cursor)}");
                foreach (var item in page.GetProperty("items").EnumerateArray())
                {
                    if (item.GetProperty("flow").GetProperty("flowId").GetGuid() == flowId)
                    {
                        return item.Clone();
                    }
                }

                cursor = page.GetProperty("nextCursor").GetString();
            }
            while (cursor is not null);

            Assert.True(TimeProvider.System.GetUtcNow() < deadline, $"Flow {flowId} did not reach the mailbox within {timeout}.");
            await Task.Delay(50);
        }
    }

    /// <summary>
    /// Polls the flow until its status is <paramref name="status"/>. A fetch records the delivery
    /// just after the client has read the last byte, so a client can look before that commit.
    /// </summary>
    public static async Task<JsonElement> WaitForStatusAsync(HttpClient client, Guid flowId, string status, TimeSpan timeout)
    {
        var deadline = TimeProvider.System.GetUtcNow() + timeout;
        while (true)
        {
            var flow = await client.GetFromJsonAsync<JsonElement>($"/api/v1/flows/{flowId}");
            var current = flow.GetProperty("flow").GetProperty("status").GetString();
            if (current == status)
            {
                return flow;
            }

            Assert.True(TimeProvider.System.GetUtcNow() < deadline, $"Flow {flowId} is still {current}, not {status}, after {timeout}.");
            await Task.Delay(50);
        }
    }

    public static async Task<JsonElement> ReadProblemAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string slug)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status} {slug}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal("urn:pec:problem:" + slug, problem.GetProperty("type").GetString());
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("title").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
    }
}
