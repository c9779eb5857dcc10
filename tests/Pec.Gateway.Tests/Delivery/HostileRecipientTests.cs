using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Pec.Gateway.Tests.Infrastructure;
using static Pec.Gateway.Tests.Infrastructure.HostileRecipientServer;

namespace Pec.Gateway.Tests.Delivery;

/// <summary>
/// Push delivery against recipients that cannot be trusted or misbehave: the payload never goes to an
/// endpoint whose certificate is not the registry's, and no answer short of a 2xx counts as a delivery.
/// </summary>
[Collection(GatewayTestGroup.Name)]
public sealed class HostileRecipientTests(GatewayFixture fixture)
{
    private static readonly string[] Terminal = ["delivered", "acknowledged", "failed"];

    private static byte[] Payload(string text) => System.Text.Encoding.UTF8.GetBytes($"<message>{text} {Guid.NewGuid()}</message>");

    [Theory]
    [InlineData("PUSH-OTHER-CA")]
    [InlineData("PUSH-WRONG-NAME")]
    [InlineData("PUSH-CLIENT-EKU")]
    public async Task Push_ServerCertificateNotTrusted_PayloadNeverSentAndFailsUnreachable(string recipient)
    {
        using var dila = fixture.CreateClient("DILA");
        var flowId = await FlowApi.PostAcceptedAsync(dila, "test.push-short", recipient, Payload("untrusted"), "application/xml");

        var delivery = await DeliveryApi.WaitForDeliveryAsync(dila, flowId, recipient, "failed");

        Assert.Equal("unreachable", delivery.GetProperty("failureReason").GetString());
        Assert.DoesNotContain(flowId, fixture.Hostile.ReceivedBy(recipient));
        var attempts = await DeliveryApi.AttemptsAsync(fixture, flowId, recipient);
        Assert.Contains(attempts, a => a.Outcome == "unreachable");
        Assert.All(attempts, a => Assert.True(a.Outcome is "unreachable" or "circuit-open", a.Outcome));
        Assert.Equal(["deposit", "non-delivery"], await DeliveryApi.ReceiptKindsAsync(dila, flowId, recipient));
    }

    [Fact]
    public async Task Push_ServerCertificateThroughIntermediateCa_IsDelivered()
    {
        using var dila = fixture.CreateClient("DILA");
        var flowId = await FlowApi.PostAcceptedAsync(dila, "test.push", "PUSH-INTERMEDIATE", Payload("intermediate"), "application/xml");

        await DeliveryApi.WaitForDeliveryAsync(dila, flowId, "PUSH-INTERMEDIATE", "delivered");

        Assert.Contains(flowId, fixture.Hostile.ReceivedBy("PUSH-INTERMEDIATE"));
    }

    [Fact]
    public async Task Push_EndpointAcceptsTcpAndNeverSpeaks_RetriesThenFailsUnreachable()
    {
        using var dila = fixture.CreateClient("DILA");
        var flowId = await FlowApi.PostAcceptedAsync(dila, "test.push-short", "PUSH-SILENT", Payload("silent"), "application/xml");

        var delivery = await DeliveryApi.WaitForDeliveryAsync(dila, flowId, "PUSH-SILENT", "failed");

        Assert.Equal("unreachable", delivery.GetProperty("failureReason").GetString());
        var attempts = await DeliveryApi.AttemptsAsync(fixture, flowId, "PUSH-SILENT");
        Assert.Contains(attempts, a => a.Outcome == "unreachable");
        Assert.DoesNotContain(attempts, a => a.Outcome is "delivered" or "retry" or "refused");
        Assert.Equal(["deposit", "non-delivery"], await DeliveryApi.ReceiptKindsAsync(dila, flowId, "PUSH-SILENT"));
    }

    [Fact]
    public async Task Push_RecipientReadsRequestAndNeverAnswers_RetriesThenFailsWithoutDelivery()
    {
        fixture.Hostile.Answer("PUSH-HANG", _ => Silence());
        using var dila = fixture.CreateClient("DILA");
        var flowId = await FlowApi.PostAcceptedAsync(dila, "test.push-short", "PUSH-HANG", Payload("hang"), "application/xml");

        var delivery = await DeliveryApi.WaitForDeliveryAsync(dila, flowId, "PUSH-HANG", "failed");

        Assert.True(delivery.GetProperty("failureReason").GetString() is "unreachable" or "expired");
        var attempts = await DeliveryApi.AttemptsAsync(fixture, flowId, "PUSH-HANG");
        Assert.Contains(attempts, a => a.Outcome == "unreachable");
        Assert.DoesNotContain(attempts, a => a.Outcome == "delivered");
        Assert.Equal(["deposit", "non-delivery"], await DeliveryApi.ReceiptKindsAsync(dila, flowId, "PUSH-HANG"));
    }

    [Fact]
    public async Task Push_AnswerAfterAttemptTimeout_CountsAsUnreachableThenRetryDelivers()
    {
        fixture.Hostile.Answer("PUSH-LATE", seen => seen == 1 ? Late(TimeSpan.FromSeconds(4)) : Status(200, "OK"));
        using var dila = fixture.CreateClient("DILA");
        var flowId = await FlowApi.PostAcceptedAsync(dila, "test.push", "PUSH-LATE", Payload("late"), "application/xml");

        await DeliveryApi.WaitForDeliveryAsync(dila, flowId, "PUSH-LATE", "delivered");

        var outcomes = (await DeliveryApi.AttemptsAsync(fixture, flowId, "PUSH-LATE")).Where(a => a.Outcome != "circuit-open").Select(a => a.Outcome);
        Assert.Equal(["unreachable", "delivered"], outcomes);
        Assert.Contains("no answer within", await FirstAttemptDetailAsync(flowId, "PUSH-LATE"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(301)]
    [InlineData(302)]
    [InlineData(303)]
    [InlineData(307)]
    [InlineData(308)]
    public async Task Push_Redirect_IsNotFollowedAndIsNoDelivery(int status)
    {
        var target = fixture.Push.UrlFor("PUSH-OK");
        fixture.Hostile.Answer("PUSH-REDIRECT", _ => Status(status, "Moved", headers: $"Location: {target}\r\n"));
        using var dila = fixture.CreateClient("DILA");
        var flowId = await FlowApi.PostAcceptedAsync(dila, "test.push", "PUSH-REDIRECT", Payload("redirect"), "application/xml");

        var delivery = await WaitForTerminalAsync(dila, flowId, "PUSH-REDIRECT");

        Assert.Equal("failed", delivery.GetProperty("status").GetString());
        Assert.Equal("recipient-refused", delivery.GetProperty("failureReason").GetString());
        Assert.DoesNotContain(fixture.Push.ReceivedBy("PUSH-OK"), r => r.FlowId == flowId);
        Assert.Equal([(1, "refused", (int?)status)], await DeliveryApi.AttemptsAsync(fixture, flowId, "PUSH-REDIRECT"));
    }

    [Fact]
    public async Task Push_AcknowledgementOverLimit_IsIgnoredAndDeliveryStands()
    {
        fixture.Hostile.Answer("PUSH-BIG-ACK", _ => LargeBody(3 * 1024 * 1024));
        using var dila = fixture.CreateClient("DILA");
        var flowId = await FlowApi.PostAcceptedAsync(dila, "test.push", "PUSH-BIG-ACK", Payload("big ack"), "application/xml");

        await DeliveryApi.WaitForDeliveryAsync(dila, flowId, "PUSH-BIG-ACK", "delivered");

        Assert.Equal([(1, "delivered", (int?)200)], await DeliveryApi.AttemptsAsync(fixture, flowId, "PUSH-BIG-ACK"));
        Assert.Contains("ignored", await FirstAttemptDetailAsync(flowId, "PUSH-BIG-ACK"), StringComparison.Ordinal);
        Assert.Equal(["deposit", "delivery"], await DeliveryApi.ReceiptKindsAsync(dila, flowId, "PUSH-BIG-ACK"));
    }

    [Fact]
    public async Task Push_EndlessAcknowledgement_DoesNotHangAndDeliveryStands()
    {
        fixture.Hostile.Answer("PUSH-ENDLESS", _ => EndlessBody());
        using var dila = fixture.CreateClient("DILA");
        var clock = Stopwatch.StartNew();
        var flowId = await FlowApi.PostAcceptedAsync(dila, "test.push", "PUSH-ENDLESS", Payload("endless"), "application/xml");

        await DeliveryApi.WaitForDeliveryAsync(dila, flowId, "PUSH-ENDLESS", "delivered", TimeSpan.FromSeconds(15));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"took {clock.Elapsed}");
        Assert.Equal([(1, "delivered", (int?)200)], await DeliveryApi.AttemptsAsync(fixture, flowId, "PUSH-ENDLESS"));
    }

    [Fact]
    public async Task Push_AcknowledgementDrippingSlowly_IsCutAtAttemptTimeoutAndDeliveryStands()
    {
        fixture.Hostile.Answer("PUSH-DRIP", _ => DripBody());
        using var dila = fixture.CreateClient("DILA");
        var clock = Stopwatch.StartNew();
        var flowId = await FlowApi.PostAcceptedAsync(dila, "test.push", "PUSH-DRIP", Payload("drip"), "application/xml");

        await DeliveryApi.WaitForDeliveryAsync(dila, flowId, "PUSH-DRIP", "delivered", TimeSpan.FromSeconds(15));

        // The drip lasts 100 s; the attempt timeout of the fixture is 2 s.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"took {clock.Elapsed}");
        Assert.Contains("unreadable", await FirstAttemptDetailAsync(flowId, "PUSH-DRIP"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(408, "")]
    [InlineData(425, "")]
    [InlineData(429, "Retry-After: 1\r\n")]
    [InlineData(500, "")]
    [InlineData(503, "Retry-After: 3600\r\n")]
    public async Task Push_TemporaryStatus_IsRetriedUntilDelivered(int status, string headers)
    {
        fixture.Hostile.Answer("PUSH-TEMPORARY", seen => seen == 1 ? Status(status, "Busy", body: new string('x', 10_000), headers: headers) : Status(200, "OK"));
        using var dila = fixture.CreateClient("DILA");
        var flowId = await FlowApi.PostAcceptedAsync(dila, "test.push", "PUSH-TEMPORARY", Payload("temporary"), "application/xml");

        await DeliveryApi.WaitForDeliveryAsync(dila, flowId, "PUSH-TEMPORARY", "delivered");

        var attempts = (await DeliveryApi.AttemptsAsync(fixture, flowId, "PUSH-TEMPORARY")).Where(a => a.Outcome != "circuit-open").ToList();
        Assert.Equal([(1, "retry", (int?)status), (2, "delivered", 200)], attempts);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(403)]
    [InlineData(404)]
    [InlineData(405)]
    [InlineData(410)]
    [InlineData(413)]
    [InlineData(415)]
    [InlineData(451)]
    public async Task Push_PermanentClientError_DeadLettersAtOnceAsRecipientRefused(int status)
    {
        fixture.Hostile.Answer("PUSH-REFUSED-4XX", _ => Status(status, "No", body: "refus"));
        using var dila = fixture.CreateClient("DILA");
        var flowId = await FlowApi.PostAcceptedAsync(dila, "test.push", "PUSH-REFUSED-4XX", Payload("refused"), "application/xml");

        var delivery = await DeliveryApi.WaitForDeliveryAsync(dila, flowId, "PUSH-REFUSED-4XX", "failed");

        Assert.Equal("recipient-refused", delivery.GetProperty("failureReason").GetString());
        Assert.Equal([(1, "refused", (int?)status)], await DeliveryApi.AttemptsAsync(fixture, flowId, "PUSH-REFUSED-4XX"));
        Assert.Single(fixture.Hostile.ReceivedBy("PUSH-REFUSED-4XX"), id => id == flowId);
    }

    public static TheoryData<string> OddAnswers => new()
    {
        "HTTP/1.1 102 Processing\r\n\r\n",
        "HTTP/1.1 103 Early Hints\r\nLink: </x>\r\n\r\n",
        "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n",
        "HTTP/1.1 199 Odd\r\n\r\n",
        "HTTP/1.1 304 Not Modified\r\n\r\n",
        "HTTP/1.1 600 Odd\r\nContent-Length: 0\r\n\r\n",
        "HTTP/1.1 099 Odd\r\nContent-Length: 0\r\n\r\n",
        "HTTP/1.1 2000 Odd\r\nContent-Length: 0\r\n\r\n",
        "HTTP/1.1 20 Odd\r\nContent-Length: 0\r\n\r\n",
        "HTTP/1.1 200",
        "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n",
        "HTTP/9.9 200 OK\r\nContent-Length: 0\r\n\r\n",
        "garbage\r\n\r\n",
        "",
    };

    [Theory]
    [MemberData(nameof(OddAnswers))]
    public async Task Push_OddOrBrokenAnswer_IsNoDelivery(string answer)
    {
        fixture.Hostile.Answer("PUSH-ODD", seen => seen == 1 ? Raw(answer) : Status(200, "OK"));
        using var dila = fixture.CreateClient("DILA");
        var flowId = await FlowApi.PostAcceptedAsync(dila, "test.push", "PUSH-ODD", Payload("odd"), "application/xml");

        await WaitForTerminalAsync(dila, flowId, "PUSH-ODD");

        var first = (await DeliveryApi.AttemptsAsync(fixture, flowId, "PUSH-ODD")).First(a => a.Outcome != "circuit-open");
        Assert.NotEqual("delivered", first.Outcome);
    }

    [Fact]
    public async Task Push_CaFileUnreadableThenRestored_DeliversOnceItIsBack()
    {
        var aside = fixture.CaGonePath + ".aside";
        File.Move(fixture.CaGonePath, aside);
        Guid flowId;
        using var dila = fixture.CreateClient("DILA");
        try
        {
            flowId = await FlowApi.PostAcceptedAsync(dila, "test.push", "PUSH-CA-GONE", Payload("ca gone"), "application/xml");
            await PushDeliveryTests.WaitUntilAsync(async () => (await DeliveryApi.AttemptsAsync(fixture, flowId, "PUSH-CA-GONE")).Any(a => a.Outcome == "unreachable"));
            Assert.Contains("cannot be read", await FirstAttemptDetailAsync(flowId, "PUSH-CA-GONE"), StringComparison.Ordinal);
        }
        finally
        {
            File.Move(aside, fixture.CaGonePath);
        }

        await DeliveryApi.WaitForDeliveryAsync(dila, flowId, "PUSH-CA-GONE", "delivered", TimeSpan.FromSeconds(20));
    }

    private static async Task<JsonElement> WaitForTerminalAsync(HttpClient sender, Guid flowId, string recipient)
    {
        var deadline = TimeProvider.System.GetUtcNow() + DeliveryApi.Timeout;
        while (TimeProvider.System.GetUtcNow() < deadline)
        {
            var flow = await sender.GetFromJsonAsync<JsonElement>($"/api/v1/flows/{flowId}");
            foreach (var delivery in flow.GetProperty("deliveries").EnumerateArray().Where(d => d.GetProperty("recipientId").GetString() == recipient))
            {
                if (Terminal.Contains(delivery.GetProperty("status").GetString()))
                {
                    return delivery.Clone();
                }
            }

            await Task.Delay(50);
        }

        Assert.Fail($"Delivery of {flowId} to {recipient} did not end within {DeliveryApi.Timeout}.");
        return default;
    }

    private async Task<string> FirstAttemptDetailAsync(Guid flowId, string recipient)
    {
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "select coalesce(detail, '') from delivery_attempts where flow_id = @flow and recipient_id = @recipient and outcome <> 'circuit-open' order by id limit 1", connection);
        command.Parameters.AddWithValue("flow", flowId);
        command.Parameters.AddWithValue("recipient", recipient);
        return (string)(await command.ExecuteScalarAsync())!;
    }
}
