using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using Pec.Gateway.Tests.Infrastructure;

namespace Pec.Gateway.Tests.Flows;

/// <summary>The W3C trace context of a submission follows the flow through the outbox and RabbitMQ to the routing consumer.</summary>
[Collection(GatewayTestGroup.Name)]
public sealed class TraceContextTests(GatewayFixture fixture)
{
    [Fact]
    public async Task Traceparent_ReachesRoutingConsumer()
    {
        var traceId = ActivityTraceId.CreateRandom();
        var seen = new ConcurrentBag<(string Source, string Name)>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is "MassTransit" or "Pec.Routing.Outbox",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.TraceId == traceId)
                {
                    seen.Add((activity.Source.Name, activity.OperationName));
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        using var dila = fixture.CreateClient("DILA");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/flows") { Content = new ByteArrayContent("<trace/>"u8.ToArray()) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/xml");
        request.Headers.Add("Pec-Flow-Type", "etat-civil.demande-acte");
        request.Headers.Add("Pec-Recipients", "COMMUNE-06088");
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");

        using var response = await dila.SendAsync(request);
        var deadline = TimeProvider.System.GetUtcNow().AddSeconds(20);
        // MassTransit 8 names its consumer-side activities "<queue> receive" and "<queue> process".
        while (!seen.Any(a => a.Source == "MassTransit" && a.Name.EndsWith(" process", StringComparison.Ordinal))
               && TimeProvider.System.GetUtcNow() < deadline)
        {
            await Task.Delay(50);
        }

        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        Assert.Contains(seen, a => a.Source == "Pec.Routing.Outbox");
        Assert.Contains(seen, a => a.Source == "MassTransit" && a.Name.EndsWith(" send", StringComparison.Ordinal));
        Assert.Contains(seen, a => a.Source == "MassTransit" && a.Name.EndsWith(" receive", StringComparison.Ordinal));
        Assert.True(
            seen.Any(a => a.Source == "MassTransit" && a.Name.EndsWith(" process", StringComparison.Ordinal)),
            "activities seen in the trace: " + string.Join(", ", seen.Select(a => $"{a.Source}/{a.Name}")));
    }

    [Fact]
    public async Task Traceparent_ReachesPushRecipient()
    {
        // The route consumer writes the delivery's outbox row inside its own activity, so the trace
        // goes on through a second relay and message to the push request's traceparent header.
        var traceId = ActivityTraceId.CreateRandom();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is "MassTransit" or "Pec.Routing.Outbox" or "Pec.Routing.Delivery",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        using var dila = fixture.CreateClient("DILA");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/flows") { Content = new ByteArrayContent("<trace>push</trace>"u8.ToArray()) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/xml");
        request.Headers.Add("Pec-Flow-Type", "test.push");
        request.Headers.Add("Pec-Recipients", "PUSH-OK");
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");

        using var response = await dila.SendAsync(request);
        var flowId = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("flowId").GetGuid();
        await Delivery.DeliveryApi.WaitForDeliveryAsync(dila, flowId, "PUSH-OK", "delivered");

        var received = Assert.Single(fixture.Push.ReceivedBy("PUSH-OK"), r => r.FlowId == flowId);
        Assert.StartsWith($"00-{traceId}-", received.TraceParent, StringComparison.Ordinal);
    }
}
