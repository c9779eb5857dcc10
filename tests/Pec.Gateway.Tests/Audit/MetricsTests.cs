using Pec.Gateway.Tests.Infrastructure;

namespace Pec.Gateway.Tests.Audit;

[Collection(GatewayTestGroup.Name)]
public sealed class MetricsTests(GatewayFixture fixture)
{
    [Fact]
    public async Task Metrics_ExposePecCountersAndOutboxGauges()
    {
        using var dila = fixture.CreateClient("DILA");
        using var scraper = fixture.CreateClient(administrationId: null);
        await FlowApi.PostAcceptedAsync(dila, "etat-civil.demande-acte", "COMMUNE-06088", "<mesure/>"u8.ToArray(), "application/xml");

        var text = await scraper.GetStringAsync("/metrics");

        Assert.Contains("pec_flows_accepted", text, StringComparison.Ordinal);
        Assert.Contains("pec_outbox_backlog", text, StringComparison.Ordinal);
        Assert.Contains("pec_outbox_lag", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_CountRetriedAndFailedPushDeliveries()
    {
        fixture.Push.Behave("PUSH-METRICS", seen => seen == 1 ? new PushAnswer(503) : new PushAnswer(200));
        fixture.Push.Behave("PUSH-REFUSE", _ => new PushAnswer(422));
        using var dila = fixture.CreateClient("DILA");
        using var scraper = fixture.CreateClient(administrationId: null);
        var retried = await FlowApi.PostAcceptedAsync(dila, "test.push", "PUSH-METRICS", "<mesure>reprise</mesure>"u8.ToArray(), "application/xml");
        var refused = await FlowApi.PostAcceptedAsync(dila, "test.push", "PUSH-REFUSE", "<mesure>refus</mesure>"u8.ToArray(), "application/xml");
        await Delivery.DeliveryApi.WaitForDeliveryAsync(dila, retried, "PUSH-METRICS", "delivered");
        await Delivery.DeliveryApi.WaitForDeliveryAsync(dila, refused, "PUSH-REFUSE", "failed");

        // The Prometheus exporter refreshes its snapshot at most once per scrape interval.
        var deadline = TimeProvider.System.GetUtcNow().AddSeconds(30);
        string text;
        do
        {
            text = await scraper.GetStringAsync("/metrics");
            await Task.Delay(200);
        }
        while (!(text.Contains("pec_deliveries_retried", StringComparison.Ordinal) && text.Contains("reason=\"recipient-refused\"", StringComparison.Ordinal))
               && TimeProvider.System.GetUtcNow() < deadline);

        Assert.Contains("pec_deliveries_retried", text, StringComparison.Ordinal);
        Assert.Contains("pec_deliveries_failed", text, StringComparison.Ordinal);
        Assert.Contains("reason=\"recipient-refused\"", text, StringComparison.Ordinal);
        Assert.Contains("pec_delivery_latency", text, StringComparison.Ordinal);
    }
}
