using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Pec.Gateway.Tests.Infrastructure;

namespace Pec.Gateway.Tests.Delivery;

/// <summary>HTTPS push delivery against real recipients' endpoints (mutual TLS, signed requests) on 127.0.0.1.</summary>
[Collection(GatewayTestGroup.Name)]
public sealed class PushDeliveryTests(GatewayFixture fixture)
{
    private static byte[] Payload(string text) => System.Text.Encoding.UTF8.GetBytes($"<message>{text}</message>");

    [Fact]
    public async Task Push_HealthyRecipient_ReceivesSignedRequestAndFlowGetsDeliveryReceipt()
    {
        using var dila = fixture.CreateClient("DILA");
        var payload = Payload("healthy");
        var flowId = await FlowApi.PostAcceptedAsync(dila, "test.push", "PUSH-OK", payload, "application/xml");

        var delivery = await DeliveryApi.WaitForDeliveryAsync(dila, flowId, "PUSH-OK", "delivered");

        var received = Assert.Single(fixture.Push.ReceivedBy("PUSH-OK"), r => r.FlowId == flowId);
        Assert.Null(received.SignatureError);
        Assert.Null(received.DigestError);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(payload)), received.BodySha256);
        Assert.Contains("PEC Distribution", received.ClientCertificateSubject, StringComparison.Ordinal);
        Assert.Equal(1, delivery.GetProperty("attempts").GetInt32());
        Assert.Equal(["deposit", "delivery"], await DeliveryApi.ReceiptKindsAsync(dila, flowId, "PUSH-OK"));
        Assert.Equal("delivered", (await FlowApi.WaitForStatusAsync(dila, flowId, "delivered", DeliveryApi.Timeout)).GetProperty("flow").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Push_RecipientAnswersWithDocument_FlowIsAcknowledgedWithReplyInReceipt()
    {
        fixture.Push.Behave("PUSH-ACK", _ => new PushAnswer(200, "<accuse>recu</accuse>"));
        using var dila = fixture.CreateClient("DILA");
        var flowId = await FlowApi.PostAcceptedAsync(dila, "test.push", "PUSH-ACK", Payload("ack"), "application/xml");

        await DeliveryApi.WaitForDeliveryAsync(dila, flowId, "PUSH-ACK", "acknowledged");

        Assert.Equal(["deposit", "delivery", "acknowledgement"], await DeliveryApi.ReceiptKindsAsync(dila, flowId, "PUSH-ACK"));
        var receipts = await dila.GetFromJsonAsync<JsonElement>($"/api/v1/flows/{flowId}/receipts");
        var ack = receipts.GetProperty("items").EnumerateArray().Single(r => r.GetProperty("kind").GetString() == "acknowledgement");
        var document = await dila.GetStringAsync(ack.GetProperty("href").GetString());
        Assert.Contains(Convert.ToHexStringLower(SHA256.HashData("<accuse>recu</accuse>"u8)), document, StringComparison.OrdinalIgnoreCase);

        using var reply = await dila.GetAsync($"/api/v1/flows/{flowId}/deliveries/PUSH-ACK/reply");
        Assert.Equal(System.Net.HttpStatusCode.OK, reply.StatusCode);
        Assert.Equal("application/xml", reply.Content.Headers.ContentType?.MediaType);
        Assert.Equal("<accuse>recu</accuse>", await reply.Content.ReadAsStringAsync());
        Assert.Equal($"sha-256=:{Convert.ToBase64String(SHA256.HashData("<accuse>recu</accuse>"u8))}:", reply.Headers.GetValues("Repr-Digest").Single());
    }

    [Fact]
    public async Task Reply_NoDocumentOrStranger_Returns404()
    {
        using var dila = fixture.CreateClient("DILA");
        using var stranger = fixture.CreateClient("COMMUNE-214400152");
        var flowId = await FlowApi.PostAcceptedAsync(dila, "test.push", "PUSH-OK", Payload("sans réponse"), "application/xml");
        await DeliveryApi.WaitForDeliveryAsync(dila, flowId, "PUSH-OK", "delivered");

        using var none = await dila.GetAsync($"/api/v1/flows/{flowId}/deliveries/PUSH-OK/reply");
        using var other = await stranger.GetAsync($"/api/v1/flows/{flowId}/deliveries/PUSH-OK/reply");

        await FlowApi.AssertProblemAsync(none, System.Net.HttpStatusCode.NotFound, "reply-not-found");
        await FlowApi.AssertProblemAsync(other, System.Net.HttpStatusCode.NotFound, "flow-not-found");
    }

    [Fact]
    public async Task Push_TemporaryFailures_AreRetriedUntilDelivered()
    {
        fixture.Push.Behave("PUSH-FLAKY", seen => seen <= 2 ? new PushAnswer(503) : new PushAnswer(204));
        using var dila = fixture.CreateClient("DILA");
        var flowId = await FlowApi.PostAcceptedAsync(dila, "test.push", "PUSH-FLAKY", Payload("flaky"), "application/xml");

        var delivery = await DeliveryApi.WaitForDeliveryAsync(dila, flowId, "PUSH-FLAKY", "delivered");

        Assert.Equal(3, delivery.GetProperty("attempts").GetInt32());
        // The recipient's circuit may open between attempts (it counts failures of earlier tests too); those are not attempts.
        var attempts = (await DeliveryApi.AttemptsAsync(fixture, flowId, "PUSH-FLAKY")).Where(a => a.Outcome != "circuit-open");
        Assert.Equal([(1, "retry", (int?)503), (2, "retry", 503), (3, "delivered", 204)], attempts);
        var audit = await DeliveryApi.AuditEventsAsync(fixture, flowId);
        Assert.Single(audit, e => e.GetProperty("event").GetString() == "flow.delivered");
    }

    [Fact]
    public async Task Push_PermanentRefusal_IsDeadLetteredAndSenderIsTold()
    {
        fixture.Push.Behave("PUSH-REFUSE", _ => new PushAnswer(422));
        using var dila = fixture.CreateClient("DILA");
        var flowId = await FlowApi.PostAcceptedAsync(dila, "test.push", "PUSH-REFUSE", Payload("refused"), "application/xml");

        var delivery = await DeliveryApi.WaitForDeliveryAsync(dila, flowId, "PUSH-REFUSE", "failed");

        Assert.Equal("recipient-refused", delivery.GetProperty("failureReason").GetString());
        Assert.Single(fixture.Push.ReceivedBy("PUSH-REFUSE"), r => r.FlowId == flowId);
        Assert.Equal(["deposit", "non-delivery"], await DeliveryApi.ReceiptKindsAsync(dila, flowId, "PUSH-REFUSE"));
        await FlowApi.WaitForStatusAsync(dila, flowId, "failed", DeliveryApi.Timeout);
        var notices = await dila.GetFromJsonAsync<JsonElement>("/api/v1/mailbox/notices?limit=500");
        var notice = notices.GetProperty("items").EnumerateArray().Single(n => n.GetProperty("flowId").GetGuid() == flowId);
        Assert.Equal("PUSH-REFUSE", notice.GetProperty("recipient").GetString());
        Assert.StartsWith("recipient-refused", notice.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal("Le point de remise du destinataire a refusé le flux de façon définitive.", notice.GetProperty("reasonText").GetString());
        var receipt = await dila.GetStringAsync(notice.GetProperty("receipt").GetString());
        Assert.Contains("HTTP 422", receipt, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Push_UnreachableRecipient_FailsAsUnreachableAtExpiry_WithCircuitOpening()
    {
        using var dila = fixture.CreateClient("DILA");
        var flowId = await FlowApi.PostAcceptedAsync(dila, "test.push-short", "PUSH-DOWN", Payload("down"), "application/xml");

        var delivery = await DeliveryApi.WaitForDeliveryAsync(dila, flowId, "PUSH-DOWN", "failed");

        Assert.Equal("unreachable", delivery.GetProperty("failureReason").GetString());
        var attempts = await DeliveryApi.AttemptsAsync(fixture, flowId, "PUSH-DOWN");
        Assert.Contains(attempts, a => a.Outcome == "unreachable");
        Assert.Contains(attempts, a => a.Outcome == "circuit-open");
        Assert.DoesNotContain(attempts, a => a.Outcome is "delivered" or "retry");
        Assert.Equal(["deposit", "non-delivery"], await DeliveryApi.ReceiptKindsAsync(dila, flowId, "PUSH-DOWN"));
    }

    [Fact]
    public async Task Mailbox_NotFetchedBeforeExpiry_FailsAsExpired()
    {
        using var dila = fixture.CreateClient("DILA");
        var flowId = await FlowApi.PostAcceptedAsync(dila, "test.push-short", "COMMUNE-06088", Payload("never fetched"), "application/xml");

        var delivery = await DeliveryApi.WaitForDeliveryAsync(dila, flowId, "COMMUNE-06088", "failed");

        Assert.Equal("expired", delivery.GetProperty("failureReason").GetString());
        using var nice = fixture.CreateClient("COMMUNE-06088");
        using var payload = await nice.GetAsync($"/api/v1/mailbox/{flowId}/payload");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, payload.StatusCode);
    }

    [Fact]
    public async Task Ordered_SameCorrelationId_ArrivesInSubmissionOrderDespiteRetries()
    {
        // The first flow the recipient sees fails twice; the flows after it must wait rather than overtake it.
        var gate = new object();
        Guid? firstSeen = null;
        fixture.Push.Behave("PUSH-ORDER", (flow, seen) =>
        {
            lock (gate)
            {
                firstSeen ??= flow;
                return flow == firstSeen && seen <= 2 ? new PushAnswer(503) : new PushAnswer(200);
            }
        });
        using var dila = fixture.CreateClient("DILA");
        var correlation = $"dossier-{Guid.NewGuid():N}";
        var ids = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await FlowApi.PostFlowAsync(dila, "test.push", "PUSH-ORDER", Payload($"ordered {i}"), "application/xml", correlationId: correlation);
            ids.Add((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("flowId").GetGuid());
        }

        foreach (var id in ids)
        {
            await DeliveryApi.WaitForDeliveryAsync(dila, id, "PUSH-ORDER", "delivered");
        }

        var successes = fixture.Push.ReceivedBy("PUSH-ORDER").Where(r => ids.Contains(r.FlowId) && r.AnsweredStatus == 200).Select(r => r.FlowId).ToList();
        Assert.Equal(ids, successes);
        Assert.Equal(ids[0], firstSeen);
    }

    [Fact]
    public async Task Push_PayloadAlteredInStore_IsDeadLetteredAsPayloadCorrupt()
    {
        var payload = Payload($"corrupt {Guid.NewGuid()}");
        var sha = Convert.ToHexStringLower(SHA256.HashData(payload));
        fixture.Push.Behave("PUSH-CORRUPT", _ => new PushAnswer(503));
        using var dila = fixture.CreateClient("DILA");
        var flowId = await FlowApi.PostAcceptedAsync(dila, "test.push", "PUSH-CORRUPT", payload, "application/xml");
        await WaitUntilAsync(async () => (await DeliveryApi.AttemptsAsync(fixture, flowId, "PUSH-CORRUPT")).Count > 0);

        var path = Path.Combine(fixture.PayloadDirectory, "sha256", sha[..2], sha[2..4], sha);
        File.SetAttributes(path, FileAttributes.Normal);
        await File.WriteAllTextAsync(path, "<message>altered</message>");

        var delivery = await DeliveryApi.WaitForDeliveryAsync(dila, flowId, "PUSH-CORRUPT", "failed");
        Assert.Equal("payload-corrupt", delivery.GetProperty("failureReason").GetString());
    }

    internal static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = TimeProvider.System.GetUtcNow() + DeliveryApi.Timeout;
        while (!await condition())
        {
            Assert.True(TimeProvider.System.GetUtcNow() < deadline, "condition not met in time");
            await Task.Delay(50);
        }
    }
}
