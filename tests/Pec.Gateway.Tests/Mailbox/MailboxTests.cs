using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Pec.Gateway.Tests.Infrastructure;

namespace Pec.Gateway.Tests.Mailbox;

[Collection(GatewayTestGroup.Name)]
public sealed class MailboxTests(GatewayFixture fixture)
{
    private static readonly byte[] Xml = "<demande>mailbox</demande>"u8.ToArray();

    [Fact]
    public async Task Ack_BeforeFetch_Returns409()
    {
        using var dila = fixture.CreateClient("DILA");
        using var nice = fixture.CreateClient("COMMUNE-06088");
        var flowId = await FlowApi.PostAcceptedAsync(dila, "etat-civil.demande-acte", "COMMUNE-06088", Xml, "application/xml");
        await FlowApi.WaitInMailboxAsync(nice, flowId, TimeSpan.FromSeconds(30));

        using var response = await nice.PostAsync($"/api/v1/mailbox/{flowId}/ack", content: null);

        await FlowApi.AssertProblemAsync(response, HttpStatusCode.Conflict, "payload-not-fetched");
    }

    [Fact]
    public async Task OtherAdministration_CannotSeeOrFetchFlow()
    {
        using var dila = fixture.CreateClient("DILA");
        using var nice = fixture.CreateClient("COMMUNE-06088");
        using var stranger = fixture.CreateClient("COMMUNE-214400152");
        var flowId = await FlowApi.PostAcceptedAsync(dila, "etat-civil.demande-acte", "COMMUNE-06088", Xml, "application/xml");
        await FlowApi.WaitInMailboxAsync(nice, flowId, TimeSpan.FromSeconds(30));

        using var payload = await stranger.GetAsync($"/api/v1/mailbox/{flowId}/payload");
        using var ack = await stranger.PostAsync($"/api/v1/mailbox/{flowId}/ack", content: null);
        using var status = await stranger.GetAsync($"/api/v1/flows/{flowId}");
        using var receipts = await stranger.GetAsync($"/api/v1/flows/{flowId}/receipts");

        await FlowApi.AssertProblemAsync(payload, HttpStatusCode.NotFound, "mailbox-item-not-found");
        await FlowApi.AssertProblemAsync(ack, HttpStatusCode.NotFound, "mailbox-item-not-found");
        await FlowApi.AssertProblemAsync(status, HttpStatusCode.NotFound, "flow-not-found");
        await FlowApi.AssertProblemAsync(receipts, HttpStatusCode.NotFound, "flow-not-found");
    }

    [Fact]
    public async Task Sender_SeesStatusAndReceipts_ButHasNoMailboxEntry()
    {
        using var dila = fixture.CreateClient("DILA");
        var flowId = await FlowApi.PostAcceptedAsync(dila, "etat-civil.demande-acte", "COMMUNE-06088", Xml, "application/xml");

        var status = await dila.GetFromJsonAsync<JsonElement>($"/api/v1/flows/{flowId}");
        using var payload = await dila.GetAsync($"/api/v1/mailbox/{flowId}/payload");

        Assert.Equal("DILA", status.GetProperty("flow").GetProperty("sender").GetString());
        Assert.Equal("deposit", status.GetProperty("receipts")[0].GetProperty("kind").GetString());
        await FlowApi.AssertProblemAsync(payload, HttpStatusCode.NotFound, "mailbox-item-not-found");
    }

    [Fact]
    public async Task FanOut_EachRecipientFetchesAndAcknowledges()
    {
        using var dila = fixture.CreateClient("DILA");
        using var nice = fixture.CreateClient("COMMUNE-06088");
        using var other = fixture.CreateClient("COMMUNE-214400152");
        var flowId = await FlowApi.PostAcceptedAsync(dila, "etat-civil.demande-acte", "COMMUNE-06088,COMMUNE-214400152", Xml, "application/xml");

        foreach (var client in new[] { nice, other })
        {
            await FlowApi.WaitInMailboxAsync(client, flowId, TimeSpan.FromSeconds(30));
            Assert.Equal(Xml, await client.GetByteArrayAsync($"/api/v1/mailbox/{flowId}/payload"));
        }

        var afterFetch = await FlowApi.WaitForStatusAsync(dila, flowId, "delivered", TimeSpan.FromSeconds(10));
        using var ackNice = await nice.PostAsync($"/api/v1/mailbox/{flowId}/ack", content: null);
        var afterOneAck = await dila.GetFromJsonAsync<JsonElement>($"/api/v1/flows/{flowId}");
        using var ackOther = await other.PostAsync($"/api/v1/mailbox/{flowId}/ack", content: null);
        var afterBothAcks = await dila.GetFromJsonAsync<JsonElement>($"/api/v1/flows/{flowId}");

        Assert.Equal("delivered", afterFetch.GetProperty("flow").GetProperty("status").GetString());
        Assert.Equal("delivered", afterOneAck.GetProperty("flow").GetProperty("status").GetString());
        Assert.Equal("acknowledged", afterBothAcks.GetProperty("flow").GetProperty("status").GetString());
        // One deposit, then one delivery and one acknowledgement receipt per recipient.
        Assert.Equal(5, afterBothAcks.GetProperty("receipts").GetArrayLength());
    }

    [Fact]
    public async Task RepeatedFetchAndAck_IssueOneReceiptEach()
    {
        using var dila = fixture.CreateClient("DILA");
        using var nice = fixture.CreateClient("COMMUNE-06088");
        var flowId = await FlowApi.PostAcceptedAsync(dila, "etat-civil.demande-acte", "COMMUNE-06088", Xml, "application/xml");
        await FlowApi.WaitInMailboxAsync(nice, flowId, TimeSpan.FromSeconds(30));

        await nice.GetByteArrayAsync($"/api/v1/mailbox/{flowId}/payload");
        await nice.GetByteArrayAsync($"/api/v1/mailbox/{flowId}/payload");
        using var firstAck = await nice.PostAsync($"/api/v1/mailbox/{flowId}/ack", content: null);
        using var secondAck = await nice.PostAsync($"/api/v1/mailbox/{flowId}/ack", content: null);
        using var otherReply = await nice.PostAsync($"/api/v1/mailbox/{flowId}/ack", new ByteArrayContent("<reponse/>"u8.ToArray()));

        Assert.Equal(HttpStatusCode.OK, firstAck.StatusCode);
        Assert.Equal(HttpStatusCode.OK, secondAck.StatusCode);
        Assert.Equal(
            (await firstAck.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("receipt").GetProperty("receiptId").GetGuid(),
            (await secondAck.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("receipt").GetProperty("receiptId").GetGuid());
        await FlowApi.AssertProblemAsync(otherReply, HttpStatusCode.Conflict, "acknowledgement-conflict");
        Assert.Equal(3, await fixture.CountAsync($"select count(*) from receipts where flow_id = '{flowId}'"));
        // Acknowledged flows leave the mailbox.
        var mailbox = await nice.GetFromJsonAsync<JsonElement>("/api/v1/mailbox?limit=500");
        Assert.DoesNotContain(flowId, mailbox.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("flow").GetProperty("flowId").GetGuid()));
    }

    [Fact]
    public async Task Ack_WithReplyDocument_RecordsItsDigestInTheReceipt()
    {
        using var dila = fixture.CreateClient("DILA");
        using var nice = fixture.CreateClient("COMMUNE-06088");
        var flowId = await FlowApi.PostAcceptedAsync(dila, "etat-civil.demande-acte", "COMMUNE-06088", Xml, "application/xml");
        await FlowApi.WaitInMailboxAsync(nice, flowId, TimeSpan.FromSeconds(30));
        await nice.GetByteArrayAsync($"/api/v1/mailbox/{flowId}/payload");
        var reply = "<reponse>acte en cours</reponse>"u8.ToArray();
        using var content = new ByteArrayContent(reply);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/xml");

        using var ack = await nice.PostAsync($"/api/v1/mailbox/{flowId}/ack", content);
        var receiptHref = (await ack.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("receipt").GetProperty("href").GetString();
        var receipt = await dila.GetStringAsync(receiptHref);

        Assert.Equal(HttpStatusCode.OK, ack.StatusCode);
        Assert.Contains(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(reply)), receipt, StringComparison.Ordinal);
        Assert.Equal(reply, await dila.GetByteArrayAsync($"/api/v1/flows/{flowId}/deliveries/COMMUNE-06088/reply"));
    }

    [Theory]
    [InlineData("cursor=not-a-cursor")]
    [InlineData("limit=0")]
    [InlineData("limit=501")]
    [InlineData("limit=abc")]
    [InlineData("limit=1%00")]
    public async Task List_WithInvalidPaging_Returns400(string query)
    {
        using var nice = fixture.CreateClient("COMMUNE-06088");

        using var response = await nice.GetAsync($"/api/v1/mailbox?{query}");

        await FlowApi.AssertProblemAsync(response, HttpStatusCode.BadRequest, "invalid-query");
    }

    [Fact]
    public async Task Fetch_PayloadAlteredInStore_Returns500AndEndsDeliveryAsPayloadCorrupt()
    {
        var payload = System.Text.Encoding.UTF8.GetBytes($"<demande>altérée {Guid.NewGuid()}</demande>");
        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(payload));
        using var dila = fixture.CreateClient("DILA");
        using var nice = fixture.CreateClient("COMMUNE-06088");
        var flowId = await FlowApi.PostAcceptedAsync(dila, "deces.certificat", "COMMUNE-06088", payload, "application/xml");
        await FlowApi.WaitInMailboxAsync(nice, flowId, TimeSpan.FromSeconds(30));
        var path = Path.Combine(fixture.PayloadDirectory, "sha256", sha[..2], sha[2..4], sha);
        File.SetAttributes(path, FileAttributes.Normal);
        await File.WriteAllTextAsync(path, "<demande>autre</demande>");

        using var first = await nice.GetAsync($"/api/v1/mailbox/{flowId}/payload");
        using var second = await nice.GetAsync($"/api/v1/mailbox/{flowId}/payload");

        await FlowApi.AssertProblemAsync(first, HttpStatusCode.InternalServerError, "payload-corrupt");
        await FlowApi.AssertProblemAsync(second, HttpStatusCode.NotFound, "mailbox-item-not-found");
        var delivery = await Delivery.DeliveryApi.WaitForDeliveryAsync(dila, flowId, "COMMUNE-06088", "failed");
        Assert.Equal("payload-corrupt", delivery.GetProperty("failureReason").GetString());
        Assert.Equal(["deposit", "non-delivery"], await Delivery.DeliveryApi.ReceiptKindsAsync(dila, flowId, "COMMUNE-06088"));
    }
}
