using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Pec.Gateway.Tests.Infrastructure;

namespace Pec.Gateway.Tests.Flows;

/// <summary>
/// Submissions without <c>Pec-Recipients</c> whose recipients the flow type's rules derive from the
/// payload: the public samples, fan-out to several communes, and every way resolution can fail.
/// The rules are in <c>ops/registry.json</c> and in the fixture's test flow types.
/// </summary>
[Collection(GatewayTestGroup.Name)]
public sealed class RecipientRuleTests(GatewayFixture fixture)
{
    private const string EtatCivil = "etat-civil.demande-acte";
    private const string Communes = "test.communes";

    public static TheoryData<string, string, string, string> Samples => new()
    {
        // corpus file, flow type, Content-Type, the recipient its INSEE code designates
        { "hubee/etat-civil-demande-acte.xml", EtatCivil, "application/xml", "COMMUNE-06088" },
        { "hubee/recensement-citoyen.xml", "recensement-citoyen.declaration", "application/xml", "COMMUNE-06088" },
        // The address of this sample is in Toulon, which only the test registry has.
        { "hubee/otv-test1.json", "test.tranquillite-vacances", "application/json", "COMMUNE-83137" },
    };

    [Theory]
    [MemberData(nameof(Samples))]
    public async Task CorpusSample_WithoutRecipients_RoutesByInseeCode(string file, string flowType, string contentType, string recipient)
    {
        using var dila = fixture.CreateClient("DILA");
        var payload = await File.ReadAllBytesAsync(Path.Combine(TestEnvironment.Corpus, file));

        var flowId = await FlowApi.PostAcceptedAsync(dila, flowType, null, payload, contentType);

        Assert.Equal([recipient], await RecipientsOfAsync(dila, flowId));
    }

    [Fact]
    public async Task XmlRule_TwoCommunes_FansOutToBoth()
    {
        using var dila = fixture.CreateClient("DILA");
        using var nice = fixture.CreateClient("COMMUNE-06088");
        using var other = fixture.CreateClient("COMMUNE-214400152");

        // Values are trimmed, and a code named twice counts once.
        var payload = """
            <demande xmlns="urn:pec:test:communes">
              <commune insee="06088"/><commune insee=" 44015 "/><commune insee="06088"/>
            </demande>
            """u8.ToArray();
        var flowId = await FlowApi.PostAcceptedAsync(dila, Communes, null, payload, "application/xml");

        Assert.Equal(["COMMUNE-06088", "COMMUNE-214400152"], await RecipientsOfAsync(dila, flowId));
        await FlowApi.WaitInMailboxAsync(nice, flowId, TimeSpan.FromSeconds(30));
        await FlowApi.WaitInMailboxAsync(other, flowId, TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task JsonRule_WildcardOverArray_FansOut()
    {
        using var dila = fixture.CreateClient("DILA");
        var payload = """{ "communes": [ { "code insee": "83137" }, { "code insee": "06088" }, { "code insee": null } ] }"""u8.ToArray();

        var flowId = await FlowApi.PostAcceptedAsync(dila, Communes, null, payload, "application/json");

        Assert.Equal(["COMMUNE-06088", "COMMUNE-83137"], await RecipientsOfAsync(dila, flowId));
    }

    [Fact]
    public async Task Header_WithRules_WinsOverPayload()
    {
        using var dila = fixture.CreateClient("DILA");
        var payload = await File.ReadAllBytesAsync(Path.Combine(TestEnvironment.Corpus, "hubee/etat-civil-demande-acte.xml"));

        // The sample's INSEE code designates Nice; the header sends it elsewhere, within the flow type's recipients.
        var flowId = await FlowApi.PostAcceptedAsync(dila, EtatCivil, "COMMUNE-214400152", payload, "application/xml");

        Assert.Equal(["COMMUNE-214400152"], await RecipientsOfAsync(dila, flowId));
    }

    [Fact]
    public async Task Header_WithRules_StillChecksFlowTypeRecipients()
    {
        var payload = await File.ReadAllBytesAsync(Path.Combine(TestEnvironment.Corpus, "hubee/etat-civil-demande-acte.xml"));

        using var response = await PostRejectedAsync(EtatCivil, "PREF-44", payload, "application/xml", null, HttpStatusCode.Forbidden, "recipient-not-allowed");
    }

    [Theory]
    [InlineData(null, "Destinataires introuvables", "n'est le code insee d'aucune administration")]
    [InlineData("en", "Recipients unresolved", "is no registered administration's insee code")]
    public async Task UnknownInseeCode_Returns422InCallerLanguage(string? language, string title, string detailPart)
    {
        var sample = await File.ReadAllTextAsync(Path.Combine(TestEnvironment.Corpus, "hubee/etat-civil-demande-acte.xml"));
        var payload = Encoding.UTF8.GetBytes(sample.Replace("<CodeINSEE>06088</CodeINSEE>", "<CodeINSEE>99999</CodeINSEE>", StringComparison.Ordinal));

        using var response = await PostRejectedAsync(EtatCivil, null, payload, "application/xml", language, HttpStatusCode.UnprocessableEntity, "recipients-unresolved");

        var problem = await FlowApi.ReadProblemAsync(response);
        var detail = problem.GetProperty("detail").GetString()!;
        Assert.Equal(title, problem.GetProperty("title").GetString());
        Assert.Contains(detailPart, detail, StringComparison.Ordinal);
        Assert.Contains("99999", detail, StringComparison.Ordinal);
        Assert.Contains("/EnveloppeMetierType/DemandeActe/LieuActe/CodeINSEE", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LongUnknownValue_IsQuotedBounded()
    {
        var value = new string('7', 5000);
        var payload = Encoding.UTF8.GetBytes($$"""{ "communes": [ { "code insee": "{{value}}" } ] }""");

        using var response = await PostRejectedAsync(Communes, null, payload, "application/json", "en", HttpStatusCode.UnprocessableEntity, "recipients-unresolved");

        var detail = (await FlowApi.ReadProblemAsync(response)).GetProperty("detail").GetString()!;
        Assert.Contains(new string('7', 120) + "…", detail, StringComparison.Ordinal);
        Assert.True(detail.Length < 500, detail);
    }

    public static TheoryData<string, string, string> Unreadable => new()
    {
        // flow type, Content-Type, payload
        { EtatCivil, "application/xml", "<EnveloppeMetierType><DemandeActe>" },
        { EtatCivil, "application/xml", "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e \"06088\">]><EnveloppeMetierType/>" },
        { "test.tranquillite-vacances", "application/json", "{ \"ADRESSE_FORM\": { \"CODE_INSEE\": \"83137\" " },
        // Duplicate member names would let two readers see two different communes.
        { "test.tranquillite-vacances", "application/json", "{ \"ADRESSE_FORM\": { \"CODE_INSEE\": \"83137\", \"CODE_INSEE\": \"06088\" } }" },
        { "test.tranquillite-vacances", "application/json", new string('[', 100) + new string(']', 100) },
    };

    [Theory]
    [MemberData(nameof(Unreadable))]
    public async Task UnreadablePayload_Returns422(string flowType, string contentType, string payload)
    {
        using var response = await PostRejectedAsync(flowType, null, Encoding.UTF8.GetBytes(payload), contentType, "en", HttpStatusCode.UnprocessableEntity, "recipients-unresolved");

        var detail = (await FlowApi.ReadProblemAsync(response)).GetProperty("detail").GetString()!;
        Assert.Contains("cannot be read for the rule", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PayloadWithoutValue_Returns422NamingTheRule()
    {
        var payload = "<EnveloppeMetierType><DemandeActe><LieuActe><CodeINSEE>  </CodeINSEE></LieuActe></DemandeActe></EnveloppeMetierType>"u8.ToArray();

        using var response = await PostRejectedAsync(EtatCivil, null, payload, "application/xml", null, HttpStatusCode.UnprocessableEntity, "recipients-unresolved");

        var detail = (await FlowApi.ReadProblemAsync(response)).GetProperty("detail").GetString()!;
        Assert.Contains("aucune valeur pour la règle xpath /EnveloppeMetierType/DemandeActe/LieuActe/CodeINSEE (insee)", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MediaTypeWithoutRule_Returns422()
    {
        using var response = await PostRejectedAsync(Communes, null, "%PDF-1.7"u8.ToArray(), "application/pdf", "en", HttpStatusCode.UnprocessableEntity, "recipients-unresolved");

        var detail = (await FlowApi.ReadProblemAsync(response)).GetProperty("detail").GetString()!;
        Assert.Contains("'application/pdf'", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MoreValuesThanMaxRecipients_Returns422()
    {
        var codes = string.Join(",", Enumerable.Range(0, 101).Select(i => $$"""{ "code insee": "{{10000 + i}}" }"""));
        var payload = Encoding.UTF8.GetBytes($$"""{ "communes": [ {{codes}} ] }""");

        using var response = await PostRejectedAsync(Communes, null, payload, "application/json", "en", HttpStatusCode.UnprocessableEntity, "recipients-unresolved");

        var detail = (await FlowApi.ReadProblemAsync(response)).GetProperty("detail").GetString()!;
        Assert.Contains("more than 100 distinct recipients", detail, StringComparison.Ordinal);
    }

    // Posts as DILA and checks the problem, that no flow was stored and that the rejection was audited once.
    private async Task<HttpResponseMessage> PostRejectedAsync(
        string flowType, string? recipients, byte[] payload, string contentType, string? language, HttpStatusCode status, string slug)
    {
        using var client = fixture.CreateClient("DILA", language);
        var audited = $"select count(*) from audit_log where event = 'flow.rejected' and details->>'problemType' = 'urn:pec:problem:{slug}'";
        var flowsBefore = await fixture.CountAsync("select count(*) from flows");
        var rejectionsBefore = await fixture.CountAsync(audited);

        var response = await FlowApi.PostFlowAsync(client, flowType, recipients, payload, contentType);

        await FlowApi.AssertProblemAsync(response, status, slug);
        Assert.Equal(flowsBefore, await fixture.CountAsync("select count(*) from flows"));
        Assert.Equal(rejectionsBefore + 1, await fixture.CountAsync(audited));
        return response;
    }

    private static async Task<string[]> RecipientsOfAsync(HttpClient client, Guid flowId)
    {
        var flow = await client.GetFromJsonAsync<JsonElement>($"/api/v1/flows/{flowId}");
        return [.. flow.GetProperty("flow").GetProperty("recipients").EnumerateArray().Select(r => r.GetString()!)];
    }
}
