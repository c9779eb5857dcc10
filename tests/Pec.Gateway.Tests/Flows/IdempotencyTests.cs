using System.Net;
using System.Text.Json;
using Pec.Gateway.Tests.Infrastructure;

namespace Pec.Gateway.Tests.Flows;

[Collection(GatewayTestGroup.Name)]
public sealed class IdempotencyTests(GatewayFixture fixture)
{
    [Fact]
    public async Task SameKeySameContent_ReturnsOriginalAnswer()
    {
        using var client = fixture.CreateClient("DILA");
        var key = Guid.NewGuid().ToString();
        var payload = "<demande>1</demande>"u8.ToArray();

        using var first = await FlowApi.PostFlowAsync(client, "etat-civil.demande-acte", "COMMUNE-06088", payload, "application/xml", key);
        using var second = await FlowApi.PostFlowAsync(client, "etat-civil.demande-acte", "COMMUNE-06088", payload, "application/xml", key);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        using var firstBody = JsonDocument.Parse(await first.Content.ReadAsStringAsync());
        using var secondBody = JsonDocument.Parse(await second.Content.ReadAsStringAsync());
        Assert.Equal(firstBody.RootElement.ToString(), secondBody.RootElement.ToString());
        var flowId = firstBody.RootElement.GetProperty("flowId").GetGuid();
        Assert.Equal(1, await fixture.CountAsync($"select count(*) from flows where id = '{flowId}'"));
        Assert.Equal(1, await fixture.CountAsync($"select count(*) from outbox where flow_id = '{flowId}'"));
    }

    [Fact]
    public async Task SameKeyOtherContent_Returns409()
    {
        using var client = fixture.CreateClient("DILA");
        var key = Guid.NewGuid().ToString();

        using var first = await FlowApi.PostFlowAsync(client, "etat-civil.demande-acte", "COMMUNE-06088", "<a/>"u8.ToArray(), "application/xml", key);
        using var second = await FlowApi.PostFlowAsync(client, "etat-civil.demande-acte", "COMMUNE-06088", "<b/>"u8.ToArray(), "application/xml", key);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        await FlowApi.AssertProblemAsync(second, HttpStatusCode.Conflict, "idempotency-conflict");
    }

    [Fact]
    public async Task SameKeyOtherRecipient_Returns409()
    {
        using var client = fixture.CreateClient("DILA");
        var key = Guid.NewGuid().ToString();
        var payload = "<a/>"u8.ToArray();

        using var first = await FlowApi.PostFlowAsync(client, "etat-civil.demande-acte", "COMMUNE-06088", payload, "application/xml", key);
        using var second = await FlowApi.PostFlowAsync(client, "etat-civil.demande-acte", "COMMUNE-214400152", payload, "application/xml", key);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        await FlowApi.AssertProblemAsync(second, HttpStatusCode.Conflict, "idempotency-conflict");
    }

    [Fact]
    public async Task SameKeyOtherSender_IsAnotherFlow()
    {
        using var dila = fixture.CreateClient("DILA");
        using var commune = fixture.CreateClient("COMMUNE-214400152");
        var key = Guid.NewGuid().ToString();

        using var first = await FlowApi.PostFlowAsync(dila, "etat-civil.demande-acte", "COMMUNE-06088", "<a/>"u8.ToArray(), "application/xml", key);
        var signedActe = XmlTestSigner.SignEnveloped("<acte>b</acte>"u8.ToArray(), fixture.Pki.Signer("COMMUNE-214400152"));
        using var second = await FlowApi.PostFlowAsync(commune, "actes.transmission", "PREF-44", signedActe, "application/xml", key);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        Assert.NotEqual(first.Headers.Location, second.Headers.Location);
    }

    [Fact]
    public async Task ConcurrentSameKey_CreatesOneFlow()
    {
        using var client = fixture.CreateClient("DILA");
        var key = Guid.NewGuid().ToString();
        var payload = "<concurrent/>"u8.ToArray();

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            FlowApi.PostFlowAsync(client, "etat-civil.demande-acte", "COMMUNE-06088", payload, "application/xml", key)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));
        Assert.Single(responses.Select(r => r.Headers.Location).Distinct());
        Assert.Equal(1, await fixture.CountAsync($"select count(*) from flows where idempotency_key = '{key}'"));
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }
}
