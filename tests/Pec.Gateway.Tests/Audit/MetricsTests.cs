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
}
