using System.Net;
using Pec.Gateway.Tests.Infrastructure;

namespace Pec.Gateway.Tests.Audit;

[Collection(GatewayTestGroup.Name)]
public sealed class ProblemResponseTests(GatewayFixture fixture)
{
    [Fact]
    public async Task Problem_ByDefault_IsFrench()
    {
        using var client = fixture.CreateClient("DILA");

        using var response = await FlowApi.PostFlowAsync(client, "helios.pes-aller", "COMMUNE-06088", "<a/>"u8.ToArray(), "application/xml");
        var problem = await FlowApi.ReadProblemAsync(response);

        Assert.Equal("Type de flux inconnu", problem.GetProperty("title").GetString());
        Assert.Contains("n'existe pas dans le registre", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("en")]
    [InlineData("en-GB")]
    public async Task Problem_WithAcceptLanguageEnglish_IsEnglish(string language)
    {
        using var client = fixture.CreateClient("DILA", acceptLanguage: language);

        using var response = await FlowApi.PostFlowAsync(client, "helios.pes-aller", "COMMUNE-06088", "<a/>"u8.ToArray(), "application/xml");
        var problem = await FlowApi.ReadProblemAsync(response);

        Assert.Equal("Unknown flow type", problem.GetProperty("title").GetString());
        Assert.Equal("The flow type 'helios.pes-aller' does not exist in the registry.", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task UnknownRoute_ReturnsFrenchProblem404()
    {
        using var client = fixture.CreateClient("DILA");

        using var response = await client.GetAsync("/api/v1/nothing-here");

        await FlowApi.AssertProblemAsync(response, HttpStatusCode.NotFound, "not-found");
    }

    [Theory]
    [InlineData("/health/ready")]
    [InlineData("/health/live")]
    public async Task HealthWithWrongMethod_Returns405(string path)
    {
        using var client = fixture.CreateClient(administrationId: null);

        using var response = await client.DeleteAsync(path);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    [Fact]
    public async Task WrongMethod_ReturnsProblem405()
    {
        using var client = fixture.CreateClient("DILA");

        using var response = await client.DeleteAsync("/api/v1/flows");

        await FlowApi.AssertProblemAsync(response, HttpStatusCode.MethodNotAllowed, "method-not-allowed");
    }

    [Theory]
    [InlineData("status=lost")]
    [InlineData("from=yesterday")]
    [InlineData("to=2026-13-45")]
    [InlineData("cursor=%27%3B--")]
    [InlineData("sender=DILA%00x")]
    [InlineData("recipient=x%00")]
    [InlineData("sender=DILA&sender=PREF-44")]
    public async Task AuditSearch_WithInvalidFilter_Returns400(string query)
    {
        using var auditor = fixture.CreateClient("AUDIT");

        using var response = await auditor.GetAsync($"/api/v1/audit/flows?{query}");

        await FlowApi.AssertProblemAsync(response, HttpStatusCode.BadRequest, "invalid-query");
    }
}
