using System.Net;
using System.Net.Sockets;
using Pec.Gateway.Tests.Infrastructure;

namespace Pec.Gateway.Tests.Flows;

/// <summary>A gateway whose RabbitMQ is unreachable and whose outbox may hold 3 unsent flows.</summary>
public sealed class BrokerDownFixture : GatewayFixture
{
    public const int MaxBacklog = 3;

    protected override void Configure(Dictionary<string, string?> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);

        // A loopback port nothing listens on: every connection to the broker is refused at once.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var closedPort = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        settings["ConnectionStrings:RabbitMq"] = $"amqp://pec:unused@127.0.0.1:{closedPort}/pec";
        settings["Pec:Routing:MaxOutboxBacklog"] = MaxBacklog.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["Pec:Routing:PublishTimeout"] = "00:00:02";
    }
}

/// <summary>
/// With RabbitMQ down, the gateway keeps accepting flows into the outbox up to the bound. Past it,
/// it returns 503 with Retry-After at once, and it never hangs a request or loses an accepted flow.
/// </summary>
public sealed class BackPressureTests(BrokerDownFixture fixture) : IClassFixture<BrokerDownFixture>
{
    [Fact]
    public async Task BrokerDown_AcceptsUpToBound_Then503()
    {
        using var dila = fixture.CreateClient("DILA");
        dila.Timeout = TimeSpan.FromSeconds(20);
        var accepted = new List<Guid>();

        for (var i = 0; i < BrokerDownFixture.MaxBacklog; i++)
        {
            accepted.Add(await FlowApi.PostAcceptedAsync(dila, "etat-civil.demande-acte", "COMMUNE-06088", "<attente/>"u8.ToArray(), "application/xml"));
        }

        // The backlog count is cached for half a second.
        await Task.Delay(TimeSpan.FromSeconds(1));
        using var refused = await FlowApi.PostFlowAsync(dila, "etat-civil.demande-acte", "COMMUNE-06088", "<attente/>"u8.ToArray(), "application/xml");

        await FlowApi.AssertProblemAsync(refused, HttpStatusCode.ServiceUnavailable, "routing-backlog");
        Assert.Equal("30", refused.Headers.GetValues("Retry-After").Single());
        Assert.Equal(BrokerDownFixture.MaxBacklog, await fixture.CountAsync("select count(*) from outbox where sent_at is null"));
        foreach (var flowId in accepted)
        {
            Assert.Equal(1, await fixture.CountAsync($"select count(*) from receipts where flow_id = '{flowId}' and kind = 'deposit'"));
        }
    }

    [Fact]
    public async Task BrokerDown_ReadinessReportsUnhealthy()
    {
        using var client = fixture.CreateClient(administrationId: null);

        using var response = await client.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
    }
}
