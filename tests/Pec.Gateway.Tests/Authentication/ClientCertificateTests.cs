using System.Net;
using Pec.Gateway.Tests.Infrastructure;

namespace Pec.Gateway.Tests.Authentication;

[Collection(GatewayTestGroup.Name)]
public sealed class ClientCertificateTests(GatewayFixture fixture)
{
    public static TheoryData<string?, string> Rejected => new()
    {
        { null, "authentication-required" },
        // Signed by a CA PEC does not trust, with the subject of a real administration.
        { TestPki.Rogue, "certificate-not-trusted" },
        // Issued by the trusted CA, but registered to nobody.
        { TestPki.Unregistered, "certificate-unknown" },
        // Listed under DILA's revoked certificates in the registry.
        { TestPki.Revoked, "certificate-revoked" },
    };

    [Theory]
    [MemberData(nameof(Rejected))]
    public async Task Mailbox_WithBadCertificate_Returns401(string? certificate, string slug)
    {
        using var client = fixture.CreateClient(certificate);

        using var response = await client.GetAsync("/api/v1/mailbox");

        await FlowApi.AssertProblemAsync(response, HttpStatusCode.Unauthorized, slug);
    }

    [Theory]
    [MemberData(nameof(Rejected))]
    public async Task Post_WithBadCertificate_StoresNothing(string? certificate, string slug)
    {
        using var client = fixture.CreateClient(certificate);
        var flowsBefore = await fixture.CountAsync("select count(*) from flows");

        using var response = await FlowApi.PostFlowAsync(client, "tranquillite-vacances.demande", "COMMUNE-06088", "{}"u8.ToArray(), "application/json");

        await FlowApi.AssertProblemAsync(response, HttpStatusCode.Unauthorized, slug);
        Assert.Equal(flowsBefore, await fixture.CountAsync("select count(*) from flows"));
    }

    [Fact]
    public async Task RogueCertificate_ProblemExplainsTheChain()
    {
        using var french = fixture.CreateClient(TestPki.Rogue);
        using var english = fixture.CreateClient(TestPki.Rogue, acceptLanguage: "en");

        using var frenchResponse = await french.GetAsync("/api/v1/mailbox");
        using var englishResponse = await english.GetAsync("/api/v1/mailbox");

        Assert.Equal(
            "Le certificat client est refusé : il ne remonte pas à une autorité de certification reconnue par PEC.",
            (await FlowApi.ReadProblemAsync(frenchResponse)).GetProperty("detail").GetString());
        Assert.Equal(
            "The client certificate is rejected: it does not chain to a certification authority PEC trusts.",
            (await FlowApi.ReadProblemAsync(englishResponse)).GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    [InlineData("/openapi/v1.json")]
    [InlineData("/metrics")]
    public async Task OperationsEndpoints_WithoutCertificate_Answer200(string path)
    {
        using var client = fixture.CreateClient(administrationId: null);

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task AuditSearch_ByAdministration_Returns403()
    {
        using var client = fixture.CreateClient("DILA");

        using var response = await client.GetAsync("/api/v1/audit/flows");

        await FlowApi.AssertProblemAsync(response, HttpStatusCode.Forbidden, "forbidden-role");
    }

    [Fact]
    public async Task Post_ByAuditor_Returns403()
    {
        using var client = fixture.CreateClient("AUDIT");

        using var response = await FlowApi.PostFlowAsync(client, "tranquillite-vacances.demande", "COMMUNE-06088", "{}"u8.ToArray(), "application/json");

        await FlowApi.AssertProblemAsync(response, HttpStatusCode.Forbidden, "forbidden-role");
    }
}
