using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Pec.Gateway.Tests.Infrastructure;

namespace Pec.Gateway.Tests.Delivery;

/// <summary>The operators' dead letter API: list, read, replay, discard, each audited; and who may use it.</summary>
[Collection(GatewayTestGroup.Name)]
public sealed class DeadLetterApiTests(GatewayFixture fixture)
{
    [Fact]
    public async Task Replay_AfterRefusal_DeliversAndAuditsOperator()
    {
        var refuse = true;
        fixture.Push.Behave("PUSH-REPLAY", _ => Volatile.Read(ref refuse) ? new PushAnswer(410) : new PushAnswer(200));
        using var dila = fixture.CreateClient("DILA");
        using var operatorClient = fixture.CreateClient(TestPki.Operator);
        var flowId = await FlowApi.PostAcceptedAsync(dila, "test.push", "PUSH-REPLAY", "<m>replay</m>"u8.ToArray(), "application/xml");
        await DeliveryApi.WaitForDeliveryAsync(dila, flowId, "PUSH-REPLAY", "failed");
        var letter = await FindOpenAsync(operatorClient, flowId);
        Assert.Equal("recipient-refused", letter.GetProperty("reason").GetString());
        Assert.StartsWith("Le point de remise", letter.GetProperty("reasonText").GetString(), StringComparison.Ordinal);
        using var english = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/operator/dead-letters/{letter.GetProperty("id").GetGuid()}");
        english.Headers.Add("Accept-Language", "en");
        using var englishResponse = await operatorClient.SendAsync(english);
        var englishLetter = (await englishResponse.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("deadLetter");
        Assert.Equal("The recipient's endpoint refused the flow permanently.", englishLetter.GetProperty("reasonText").GetString());
        Volatile.Write(ref refuse, false);

        using var replay = await operatorClient.PostAsJsonAsync($"/api/v1/operator/dead-letters/{letter.GetProperty("id").GetGuid()}/replay", new { note = "destinataire réparé" });

        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.Equal("replayed", (await replay.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        await DeliveryApi.WaitForDeliveryAsync(dila, flowId, "PUSH-REPLAY", "delivered");
        var audit = await DeliveryApi.AuditEventsAsync(fixture, flowId);
        var replayed = Assert.Single(audit, e => e.GetProperty("event").GetString() == "dead-letter.replayed");
        Assert.Equal(TestPki.Operator, replayed.GetProperty("actor").GetString());
        Assert.Equal("destinataire réparé", replayed.GetProperty("note").GetString());
        Assert.Equal(["deposit", "non-delivery", "delivery"], await DeliveryApi.ReceiptKindsAsync(dila, flowId, "PUSH-REPLAY"));

        var details = await operatorClient.GetFromJsonAsync<JsonElement>($"/api/v1/operator/dead-letters/{letter.GetProperty("id").GetGuid()}");
        var outcomes = details.GetProperty("attempts").EnumerateArray().Select(a => a.GetProperty("outcome").GetString()).ToList();
        Assert.Equal(["refused", "delivered"], outcomes);
    }

    [Fact]
    public async Task Discard_ClosesDeadLetter_AndSecondActionIsConflict()
    {
        fixture.Push.Behave("PUSH-REFUSE", _ => new PushAnswer(422));
        using var dila = fixture.CreateClient("DILA");
        using var operatorClient = fixture.CreateClient(TestPki.Operator);
        var flowId = await FlowApi.PostAcceptedAsync(dila, "test.push", "PUSH-REFUSE", "<m>discard</m>"u8.ToArray(), "application/xml");
        await DeliveryApi.WaitForDeliveryAsync(dila, flowId, "PUSH-REFUSE", "failed");
        var id = (await FindOpenAsync(operatorClient, flowId)).GetProperty("id").GetGuid();

        using var discard = await operatorClient.PostAsync($"/api/v1/operator/dead-letters/{id}/discard", content: null);
        using var again = await operatorClient.PostAsync($"/api/v1/operator/dead-letters/{id}/replay", content: null);

        Assert.Equal(HttpStatusCode.OK, discard.StatusCode);
        await FlowApi.AssertProblemAsync(again, HttpStatusCode.Conflict, "dead-letter-closed");
        var audit = await DeliveryApi.AuditEventsAsync(fixture, flowId);
        Assert.Single(audit, e => e.GetProperty("event").GetString() == "dead-letter.discarded");
        Assert.DoesNotContain(audit, e => e.GetProperty("event").GetString() == "dead-letter.replayed");
    }

    [Fact]
    public async Task OperatorApi_RefusesOtherRoles()
    {
        using var dila = fixture.CreateClient("DILA");
        using var auditor = fixture.CreateClient("AUDIT");

        using var asAdministration = await dila.GetAsync("/api/v1/operator/dead-letters");
        using var asAuditor = await auditor.PostAsync($"/api/v1/operator/dead-letters/{Guid.NewGuid()}/replay", content: null);

        await FlowApi.AssertProblemAsync(asAdministration, HttpStatusCode.Forbidden, "forbidden-role");
        await FlowApi.AssertProblemAsync(asAuditor, HttpStatusCode.Forbidden, "forbidden-role");
    }

    [Theory]
    [InlineData("/api/v1/operator/dead-letters?status=lost", "invalid-query")]
    [InlineData("/api/v1/operator/dead-letters?reason=other", "invalid-query")]
    [InlineData("/api/v1/operator/dead-letters?status=open&status=replayed", "invalid-query")]
    [InlineData("/api/v1/operator/dead-letters?limit=0", "invalid-query")]
    public async Task List_BadFilter_Returns400(string url, string slug)
    {
        using var operatorClient = fixture.CreateClient(TestPki.Operator);

        using var response = await operatorClient.GetAsync(url);

        await FlowApi.AssertProblemAsync(response, HttpStatusCode.BadRequest, slug);
    }

    [Theory]
    [InlineData("{\"note\": 12}")]
    [InlineData("[1]")]
    [InlineData("{\"note\": \"a\\u0000b\"}")]
    [InlineData("not json")]
    public async Task Replay_BadNote_Returns400(string body)
    {
        using var operatorClient = fixture.CreateClient(TestPki.Operator);
        using var content = new StringContent(body, Encoding.UTF8, "application/json");

        using var response = await operatorClient.PostAsync($"/api/v1/operator/dead-letters/{Guid.NewGuid()}/replay", content);

        await FlowApi.AssertProblemAsync(response, HttpStatusCode.BadRequest, "invalid-note");
    }

    [Fact]
    public async Task Replay_UnknownDeadLetter_Returns404InFrenchByDefault()
    {
        using var operatorClient = fixture.CreateClient(TestPki.Operator);

        using var response = await operatorClient.PostAsync($"/api/v1/operator/dead-letters/{Guid.NewGuid()}/replay", content: null);

        await FlowApi.AssertProblemAsync(response, HttpStatusCode.NotFound, "dead-letter-not-found");
        Assert.Equal("Lettre morte introuvable", (await FlowApi.ReadProblemAsync(response)).GetProperty("title").GetString());
    }

    private static async Task<JsonElement> FindOpenAsync(HttpClient operatorClient, Guid flowId)
    {
        string? cursor = null;
        do
        {
            var page = await operatorClient.GetFromJsonAsync<JsonElement>($"/api/v1/operator/dead-letters?status=open&limit=500{(cursor is null ? "" : "&cursor=" + cursor)}");
            foreach (var item in page.GetProperty("items").EnumerateArray().Where(i => i.GetProperty("flowId").GetGuid() == flowId))
            {
                return item.Clone();
            }

            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        Assert.Fail($"No open dead letter for flow {flowId}.");
        return default;
    }
}
