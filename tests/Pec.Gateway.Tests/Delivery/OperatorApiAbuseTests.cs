using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Pec.Gateway.Tests.Infrastructure;

namespace Pec.Gateway.Tests.Delivery;

/// <summary>The operator API and the sender notices under hostile input, concurrent operators and the wrong callers.</summary>
[Collection(GatewayTestGroup.Name)]
public sealed class OperatorApiAbuseTests(GatewayFixture fixture)
{
    private const string Racer = "PUSH-RACE";

    // A lone surrogate escape is valid JSON syntax but no valid string: GetString() throws InvalidOperationException.
    public static TheoryData<string> BadNotes => new()
    {
        "{\"note\": \"\\ud800\"}",
        "{\"note\": \"a\\udc00b\"}",
        "{\"note\": \"" + new string('a', 501) + "\"}",
        "{\"note\": \"a\\u001bb\"}",
        "{\"note\": \"a\\u0085b\"}",
        "{\"note\": {\"x\": 1}}",
        "{\"note\": " + new string('[', 10_000) + new string(']', 10_000) + "}",
        new string('[', 100_000),
        "{\"note\": \"a\"",
        "{\"note\": \"a\"} trailing",
        "\"note\"",
        "null",
        "",
    };

    [Theory]
    [MemberData(nameof(BadNotes))]
    public async Task Replay_BadNote_Returns400NotServerError(string body)
    {
        using var operatorClient = fixture.CreateClient(TestPki.Operator);
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        content.Headers.ContentLength = Encoding.UTF8.GetByteCount(body);

        using var response = await operatorClient.PostAsync($"/api/v1/operator/dead-letters/{Guid.NewGuid()}/replay", content);

        // An empty body is no note at all: the unknown dead letter then answers 404.
        await FlowApi.AssertProblemAsync(response, body.Length == 0 ? HttpStatusCode.NotFound : HttpStatusCode.BadRequest, body.Length == 0 ? "dead-letter-not-found" : "invalid-note");
    }

    [Theory]
    [InlineData("{\"note\": \"" + "aaaaaaaaaa" + "\"}")]
    [InlineData("{\"note\": \"réparé \\u2028 ✓ 😀\"}")]
    [InlineData("{\"other\": 1}")]
    public async Task Discard_AcceptableNote_ReachesTheDeadLetterLookup(string body)
    {
        using var operatorClient = fixture.CreateClient(TestPki.Operator);
        using var content = new StringContent(body, Encoding.UTF8, "application/json");

        using var response = await operatorClient.PostAsync($"/api/v1/operator/dead-letters/{Guid.NewGuid()}/discard", content);

        await FlowApi.AssertProblemAsync(response, HttpStatusCode.NotFound, "dead-letter-not-found");
    }

    [Theory]
    [InlineData("/api/v1/operator/dead-letters?recipient=PUSH-OK&recipient=PUSH-RACE")]
    [InlineData("/api/v1/operator/dead-letters?reason=expired&reason=unreachable")]
    [InlineData("/api/v1/operator/dead-letters?cursor=00000000000000000000000000000000&cursor=00000000000000000000000000000001")]
    [InlineData("/api/v1/operator/dead-letters?limit=1&limit=2")]
    [InlineData("/api/v1/operator/dead-letters?limit=501")]
    [InlineData("/api/v1/operator/dead-letters?limit=1%00")]
    [InlineData("/api/v1/operator/dead-letters?cursor=';drop table dead_letters;--")]
    [InlineData("/api/v1/operator/dead-letters?recipient=%00")]
    [InlineData("/api/v1/operator/dead-letters?status=OPEN")]
    public async Task List_RepeatedOrHostileQuery_Returns400(string url)
    {
        using var operatorClient = fixture.CreateClient(TestPki.Operator);

        using var response = await operatorClient.GetAsync(url);

        await FlowApi.AssertProblemAsync(response, HttpStatusCode.BadRequest, "invalid-query");
    }

    [Theory]
    [InlineData("/api/v1/operator/dead-letters/not-a-guid")]
    [InlineData("/api/v1/operator/dead-letters/..%2F..%2Fflows")]
    public async Task Get_MalformedId_IsNotFound(string url)
    {
        using var operatorClient = fixture.CreateClient(TestPki.Operator);

        using var response = await operatorClient.GetAsync(url);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData("DILA")]
    [InlineData("COMMUNE-06088")]
    [InlineData("AUDIT")]
    public async Task OperatorApi_EveryEndpointRefusesNonOperators(string caller)
    {
        using var client = fixture.CreateClient(caller);
        var id = Guid.NewGuid();

        using var list = await client.GetAsync("/api/v1/operator/dead-letters");
        using var one = await client.GetAsync($"/api/v1/operator/dead-letters/{id}");
        using var replay = await client.PostAsync($"/api/v1/operator/dead-letters/{id}/replay", content: null);
        using var discard = await client.PostAsync($"/api/v1/operator/dead-letters/{id}/discard", content: null);

        foreach (var response in new[] { list, one, replay, discard })
        {
            await FlowApi.AssertProblemAsync(response, HttpStatusCode.Forbidden, "forbidden-role");
        }
    }

    [Fact]
    public async Task OperatorApi_WithoutClientCertificate_IsRefused()
    {
        using var anonymous = fixture.CreateClient(null);

        using var response = await anonymous.GetAsync("/api/v1/operator/dead-letters");

        Assert.True(response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden, response.StatusCode.ToString());
    }

    [Fact]
    public async Task Replay_UnknownDeadLetter_IsInEnglishWhenAsked()
    {
        using var operatorClient = fixture.CreateClient(TestPki.Operator, acceptLanguage: "en");

        using var response = await operatorClient.PostAsync($"/api/v1/operator/dead-letters/{Guid.NewGuid()}/replay", content: null);

        await FlowApi.AssertProblemAsync(response, HttpStatusCode.NotFound, "dead-letter-not-found");
        Assert.Equal("Dead letter not found", (await FlowApi.ReadProblemAsync(response)).GetProperty("title").GetString());
    }

    [Fact]
    public async Task Replay_SameDeadLetterConcurrently_ExactlyOneWinsAndOneDispatch()
    {
        var (dila, operatorClient, flowId, id) = await DeadLetterAsync("race");
        using (dila)
        using (operatorClient)
        {
            var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
                operatorClient.PostAsJsonAsync($"/api/v1/operator/dead-letters/{id}/replay", new { note = "course" })));

            Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
            Assert.Equal(7, responses.Count(r => r.StatusCode == HttpStatusCode.Conflict));
            await DeliveryApi.WaitForDeliveryAsync(dila, flowId, Racer, "delivered");
            await Task.Delay(500);
            Assert.Equal(2, fixture.Push.ReceivedBy(Racer).Count(r => r.FlowId == flowId));
            var audit = await DeliveryApi.AuditEventsAsync(fixture, flowId);
            Assert.Single(audit, e => e.GetProperty("event").GetString() == "dead-letter.replayed");
            Assert.Single(audit, e => e.GetProperty("event").GetString() == "flow.delivered");
            foreach (var response in responses)
            {
                response.Dispose();
            }
        }
    }

    [Fact]
    public async Task ReplayAndDiscard_Concurrently_OneWinsAndTheOtherIsConflict()
    {
        var (dila, operatorClient, flowId, id) = await DeadLetterAsync("replay or discard");
        using (dila)
        using (operatorClient)
        {
            var replay = operatorClient.PostAsync($"/api/v1/operator/dead-letters/{id}/replay", content: null);
            var discard = operatorClient.PostAsync($"/api/v1/operator/dead-letters/{id}/discard", content: null);
            using var replayed = await replay;
            using var discarded = await discard;

            Assert.Equal(
                [HttpStatusCode.OK, HttpStatusCode.Conflict],
                new[] { replayed.StatusCode, discarded.StatusCode }.Order());
            var letter = await operatorClient.GetFromJsonAsync<JsonElement>($"/api/v1/operator/dead-letters/{id}");
            var status = letter.GetProperty("deadLetter").GetProperty("status").GetString();
            if (replayed.StatusCode == HttpStatusCode.OK)
            {
                Assert.Equal("replayed", status);
                await DeliveryApi.WaitForDeliveryAsync(dila, flowId, Racer, "delivered");
            }
            else
            {
                Assert.Equal("discarded", status);
                await Task.Delay(500);
                Assert.Single(fixture.Push.ReceivedBy(Racer), r => r.FlowId == flowId);
                await DeliveryApi.WaitForDeliveryAsync(dila, flowId, Racer, "failed");
            }
        }
    }

    [Fact]
    public async Task Notices_AreSeenOnlyByTheSender()
    {
        var (dila, operatorClient, flowId, _) = await DeadLetterAsync("notice");
        using (dila)
        using (operatorClient)
        {
            var mine = await AllNoticesAsync(dila);
            Assert.Contains(flowId, mine);
            foreach (var other in new[] { "COMMUNE-06088", "PREF-44", "COMMUNE-214400152" })
            {
                using var client = fixture.CreateClient(other);
                Assert.DoesNotContain(flowId, await AllNoticesAsync(client));
            }
        }
    }

    [Theory]
    [InlineData("cursor=zzz")]
    [InlineData("cursor=00000000000000000000000000000000&cursor=00000000000000000000000000000001")]
    [InlineData("limit=0")]
    [InlineData("limit=-1")]
    [InlineData("limit=501")]
    [InlineData("limit=99999999999999999999")]
    [InlineData("limit=+5")]
    [InlineData("cursor=%00")]
    public async Task Notices_BadCursorOrLimit_Returns400(string query)
    {
        using var dila = fixture.CreateClient("DILA");

        using var response = await dila.GetAsync($"/api/v1/mailbox/notices?{query}");

        await FlowApi.AssertProblemAsync(response, HttpStatusCode.BadRequest, "invalid-query");
    }

    [Fact]
    public async Task Notices_CursorBeyondTheEnd_ReturnsEmptyPage()
    {
        using var dila = fixture.CreateClient("DILA");

        var page = await dila.GetFromJsonAsync<JsonElement>("/api/v1/mailbox/notices?cursor=ffffffffffffffffffffffffffffffff");

        Assert.Empty(page.GetProperty("items").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, page.GetProperty("nextCursor").ValueKind);
    }

    /// <summary>Sends a flow to <see cref="Racer"/>, which refuses the first push of each flow and accepts later ones; returns its open dead letter.</summary>
    private async Task<(HttpClient Dila, HttpClient Operator, Guid FlowId, Guid DeadLetterId)> DeadLetterAsync(string text)
    {
        fixture.Push.Behave(Racer, seen => seen == 1 ? new PushAnswer(410) : new PushAnswer(200));
        var dila = fixture.CreateClient("DILA");
        var operatorClient = fixture.CreateClient(TestPki.Operator);
        var flowId = await FlowApi.PostAcceptedAsync(dila, "test.push", Racer, Encoding.UTF8.GetBytes($"<m>{text} {Guid.NewGuid()}</m>"), "application/xml");
        await DeliveryApi.WaitForDeliveryAsync(dila, flowId, Racer, "failed");
        var page = await operatorClient.GetFromJsonAsync<JsonElement>($"/api/v1/operator/dead-letters?status=open&recipient={Racer}&limit=500");
        var letter = page.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("flowId").GetGuid() == flowId);
        return (dila, operatorClient, flowId, letter.GetProperty("id").GetGuid());
    }

    private static async Task<List<Guid>> AllNoticesAsync(HttpClient client)
    {
        var ids = new List<Guid>();
        string? cursor = null;
        do
        {
            var page = await client.GetFromJsonAsync<JsonElement>($"/api/v1/mailbox/notices?limit=500{(cursor is null ? "" : "&cursor=" + cursor)}");
            ids.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("flowId").GetGuid()));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        return ids;
    }
}
