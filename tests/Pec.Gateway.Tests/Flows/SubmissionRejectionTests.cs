using System.Net;
using System.Text;
using System.Net.Http.Headers;
using Pec.Gateway.Tests.Infrastructure;

namespace Pec.Gateway.Tests.Flows;

/// <summary>Every rejected submission answers problem+json, stores no flow, and leaves one audit line.</summary>
[Collection(GatewayTestGroup.Name)]
public sealed class SubmissionRejectionTests(GatewayFixture fixture)
{
    private static readonly byte[] Xml = "<demande/>"u8.ToArray();

    public static TheoryData<string, string, string, string, HttpStatusCode, string> Rejections => new()
    {
        // sender, flow type, recipients, Content-Type, expected status, expected problem slug
        { "DILA", "actes.transmission", "PREF-44", "application/xml", HttpStatusCode.Forbidden, "sender-not-allowed" },
        { "COMMUNE-06088", "etat-civil.demande-acte", "COMMUNE-214400152", "application/xml", HttpStatusCode.Forbidden, "sender-not-allowed" },
        { "DILA", "etat-civil.demande-acte", "PREF-44", "application/xml", HttpStatusCode.Forbidden, "recipient-not-allowed" },
        // One allowed and one forbidden recipient: the whole flow is refused.
        { "DILA", "etat-civil.demande-acte", "COMMUNE-06088,PREF-44", "application/xml", HttpStatusCode.Forbidden, "recipient-not-allowed" },
        { "DILA", "etat-civil.demande-acte", "COMMUNE-99999", "application/xml", HttpStatusCode.BadRequest, "unknown-recipient" },
        { "DILA", "helios.pes-aller", "COMMUNE-06088", "application/xml", HttpStatusCode.BadRequest, "unknown-flow-type" },
        { "DILA", "etat-civil.demande-acte", "COMMUNE-06088", "application/pdf", HttpStatusCode.UnsupportedMediaType, "unsupported-media-type" },
        { "DILA", "tranquillite-vacances.demande", "COMMUNE-06088", "application/xml", HttpStatusCode.UnsupportedMediaType, "unsupported-media-type" },
        // deces.certificat has no recipient rule, so it needs Pec-Recipients.
        { "DILA", "deces.certificat", " , ", "application/xml", HttpStatusCode.BadRequest, "missing-header" },
    };

    [Theory]
    [MemberData(nameof(Rejections))]
    public async Task Post_BreakingARule_IsRejectedAndAudited(string sender, string flowType, string recipients, string contentType, HttpStatusCode status, string slug)
    {
        using var client = fixture.CreateClient(sender);
        var flowsBefore = await fixture.CountAsync("select count(*) from flows");
        var rejectionsBefore = await fixture.CountAsync($"select count(*) from audit_log where event = 'flow.rejected' and details->>'problemType' = 'urn:pec:problem:{slug}'");

        using var response = await FlowApi.PostFlowAsync(client, flowType, recipients, Xml, contentType);

        await FlowApi.AssertProblemAsync(response, status, slug);
        Assert.Equal(flowsBefore, await fixture.CountAsync("select count(*) from flows"));
        Assert.Equal(rejectionsBefore + 1, await fixture.CountAsync($"select count(*) from audit_log where event = 'flow.rejected' and details->>'problemType' = 'urn:pec:problem:{slug}'"));
    }

    [Theory]
    [InlineData("Pec-Flow-Type")]
    [InlineData("Pec-Recipients")]
    [InlineData("Idempotency-Key")]
    public async Task Post_WithoutRequiredHeader_Returns400(string header)
    {
        using var client = fixture.CreateClient("DILA");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/flows") { Content = new ByteArrayContent(Xml) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/xml");
        foreach (var (name, value) in new[] { ("Pec-Flow-Type", "deces.certificat"), ("Pec-Recipients", "COMMUNE-06088"), ("Idempotency-Key", Guid.NewGuid().ToString()) })
        {
            if (name != header)
            {
                request.Headers.Add(name, value);
            }
        }

        using var response = await client.SendAsync(request);

        await FlowApi.AssertProblemAsync(response, HttpStatusCode.BadRequest, "missing-header");
        var problem = await FlowApi.ReadProblemAsync(response);
        Assert.Contains(header, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_WithoutContentType_Returns400()
    {
        using var client = fixture.CreateClient("DILA");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/flows") { Content = new ByteArrayContent(Xml) };
        request.Headers.Add("Pec-Flow-Type", "etat-civil.demande-acte");
        request.Headers.Add("Pec-Recipients", "COMMUNE-06088");
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());

        using var response = await client.SendAsync(request);

        await FlowApi.AssertProblemAsync(response, HttpStatusCode.BadRequest, "missing-header");
    }

    [Fact]
    public async Task Post_WithIdempotencyKeyTooLong_Returns400()
    {
        using var client = fixture.CreateClient("DILA");

        using var response = await FlowApi.PostFlowAsync(client, "etat-civil.demande-acte", "COMMUNE-06088", Xml, "application/xml", new string('k', 256));

        await FlowApi.AssertProblemAsync(response, HttpStatusCode.BadRequest, "invalid-header");
    }

    [Theory]
    [InlineData("???")]
    [InlineData("application/")]
    [InlineData("*/*")]
    public async Task Post_WithMalformedContentType_Returns400(string contentType)
    {
        using var client = fixture.CreateClient("DILA");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/flows") { Content = new ByteArrayContent(Xml) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        request.Headers.Add("Pec-Flow-Type", "etat-civil.demande-acte");
        request.Headers.Add("Pec-Recipients", "COMMUNE-06088");
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());

        using var response = await client.SendAsync(request);

        await FlowApi.AssertProblemAsync(response, HttpStatusCode.BadRequest, "invalid-header");
    }

    [Fact]
    public async Task Post_WithRepeatedFlowType_Returns400()
    {
        using var client = fixture.CreateClient("DILA");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/flows") { Content = new ByteArrayContent(Xml) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/xml");
        request.Headers.TryAddWithoutValidation("Pec-Flow-Type", ["etat-civil.demande-acte", "deces.certificat"]);
        request.Headers.Add("Pec-Recipients", "COMMUNE-06088");
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());

        using var response = await client.SendAsync(request);

        await FlowApi.AssertProblemAsync(response, HttpStatusCode.BadRequest, "invalid-header");
    }

    [Fact]
    public async Task Post_WithTooManyRecipients_Returns400()
    {
        using var client = fixture.CreateClient("DILA");
        var recipients = string.Join(",", Enumerable.Range(0, 101).Select(i => $"COMMUNE-{i:D5}"));

        using var response = await FlowApi.PostFlowAsync(client, "etat-civil.demande-acte", recipients, Xml, "application/xml");

        await FlowApi.AssertProblemAsync(response, HttpStatusCode.BadRequest, "invalid-header");
    }

    [Fact]
    public async Task Post_WithRepeatedRecipient_CountsItOnce()
    {
        using var client = fixture.CreateClient("DILA");

        using var response = await FlowApi.PostFlowAsync(client, "etat-civil.demande-acte", "COMMUNE-06088, COMMUNE-06088", Xml, "application/xml");
        var flowId = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("flowId").GetGuid();

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(1, await fixture.CountAsync($"select count(*) from flow_recipients where flow_id = '{flowId}'"));
    }

    [Fact]
    public async Task Post_BodyShorterThanContentLength_Returns400()
    {
        var request = Encoding.ASCII.GetBytes(
            "POST /api/v1/flows HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
            + "Pec-Flow-Type: tranquillite-vacances.demande\r\nPec-Recipients: COMMUNE-06088\r\n"
            + $"Idempotency-Key: {Guid.NewGuid()}\r\nContent-Length: 100\r\nConnection: close\r\n\r\n{{}}");
        var flowsBefore = await fixture.CountAsync("select count(*) from flows");

        // Kestrel gives up on a body that stops arriving after its minimum data rate grace period (5 s).
        var response = await RawHttp.SendAsync(fixture, "DILA", request, TimeSpan.FromSeconds(20));

        Assert.StartsWith("HTTP/1.1 400", response, StringComparison.Ordinal);
        Assert.Contains("urn:pec:problem:incomplete-body", response, StringComparison.Ordinal);
        Assert.Equal(flowsBefore, await fixture.CountAsync("select count(*) from flows"));
    }

    [Fact]
    public async Task Post_EmptyBody_Returns400()
    {
        using var client = fixture.CreateClient("DILA");

        using var response = await FlowApi.PostFlowAsync(client, "etat-civil.demande-acte", "COMMUNE-06088", [], "application/xml");

        await FlowApi.AssertProblemAsync(response, HttpStatusCode.BadRequest, "empty-payload");
    }

    [Fact]
    public async Task Post_OverMaximumSize_Returns413AndStoresNothing()
    {
        // tranquillite-vacances.demande allows 1 MiB.
        using var client = fixture.CreateClient("DILA");
        var flowsBefore = await fixture.CountAsync("select count(*) from flows");

        using var response = await FlowApi.PostFlowAsync(client, "tranquillite-vacances.demande", "COMMUNE-06088", new byte[(1024 * 1024) + 1], "application/json");

        await FlowApi.AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "payload-too-large");
        Assert.Equal(flowsBefore, await fixture.CountAsync("select count(*) from flows"));
    }

    [Fact]
    public async Task Post_ChunkedOverMaximumSize_Returns413WhileStreaming()
    {
        using var client = fixture.CreateClient("DILA");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/flows")
        {
            // No Content-Length: the limit must be enforced while the body streams in.
            Content = new StreamContent(new MemoryStream(new byte[(2 * 1024 * 1024) + 7])),
        };
        request.Headers.TransferEncodingChunked = true;
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("Pec-Flow-Type", "tranquillite-vacances.demande");
        request.Headers.Add("Pec-Recipients", "COMMUNE-06088");
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());

        using var response = await client.SendAsync(request);

        await FlowApi.AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "payload-too-large");
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(fixture.PayloadDirectory, "tmp")));
    }

    [Fact]
    public async Task Post_AtMaximumSize_IsAccepted()
    {
        using var client = fixture.CreateClient("DILA");
        var payload = new byte[1024 * 1024];
        payload.AsSpan().Fill((byte)' ');

        using var response = await FlowApi.PostFlowAsync(client, "tranquillite-vacances.demande", "COMMUNE-06088", payload, "application/json");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }
}
