using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Pec.Gateway.Tests.Infrastructure;

namespace Pec.Gateway.Tests.Flows;

/// <summary>
/// Flow types with <c>sealUnsigned</c> get their unsigned payloads sealed by PEC when the sender's
/// client certificate meets the level: XML travels with an enveloped XAdES seal, other payloads
/// unchanged with a detached CAdES seal.
/// </summary>
[Collection(GatewayTestGroup.Name)]
public sealed class UnsignedSealingTests(GatewayFixture fixture)
{
    [Fact]
    public async Task UnsignedXml_TravelsSealedByPec()
    {
        using var dila = fixture.CreateClient("DILA");
        using var nice = fixture.CreateClient("COMMUNE-06088");
        var original = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<demande>scellement</demande>\n"u8.ToArray();

        var flowId = await FlowApi.PostAcceptedAsync(dila, "test.scelle", "COMMUNE-06088", original, "application/xml");
        await FlowApi.WaitInMailboxAsync(nice, flowId, TimeSpan.FromSeconds(30));
        var received = await nice.GetByteArrayAsync($"/api/v1/mailbox/{flowId}/payload");

        Assert.NotEqual(original, received);
        Assert.Contains("<demande>scellement", Encoding.UTF8.GetString(received), StringComparison.Ordinal);
        var (exitCode, output) = await Xmlsec.VerifyAsync(received, fixture.Pki.CaPath);
        Assert.True(exitCode == 0, output);
        var signature = (await dila.GetFromJsonAsync<JsonElement>($"/api/v1/flows/{flowId}")).GetProperty("flow").GetProperty("signature");
        Assert.True(signature.GetProperty("sealedByPlatform").GetBoolean());
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(original)), signature.GetProperty("originalSha256").GetString());
    }

    [Fact]
    public async Task UnsignedBinary_TravelsWithDetachedCadesSeal()
    {
        using var dila = fixture.CreateClient("DILA");
        using var nice = fixture.CreateClient("COMMUNE-06088");
        var pdf = "%PDF-1.7\n% acte\n%%EOF\n"u8.ToArray();

        var flowId = await FlowApi.PostAcceptedAsync(dila, "test.scelle", "COMMUNE-06088", pdf, "application/pdf");
        await FlowApi.WaitInMailboxAsync(nice, flowId, TimeSpan.FromSeconds(30));
        using var payload = await nice.GetAsync($"/api/v1/mailbox/{flowId}/payload");
        var received = await payload.Content.ReadAsByteArrayAsync();
        var sealHref = payload.Headers.GetValues("Pec-Seal").Single();
        var seal = await nice.GetByteArrayAsync(sealHref);

        Assert.Equal(pdf, received);
        var directory = Directory.CreateTempSubdirectory("pec-seal-").FullName;
        try
        {
            await File.WriteAllBytesAsync(Path.Combine(directory, "acte.pdf"), received);
            await File.WriteAllBytesAsync(Path.Combine(directory, "acte.p7s"), seal);
            var start = new ProcessStartInfo("openssl",
                ["cms", "-verify", "-binary", "-inform", "DER", "-in", Path.Combine(directory, "acte.p7s"), "-content", Path.Combine(directory, "acte.pdf"),
                 "-CAfile", fixture.Pki.CaPath, "-purpose", "any", "-out", "/dev/null"])
            { RedirectStandardError = true, RedirectStandardOutput = true };
            using var process = Process.Start(start)!;
            var errors = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0, errors);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task FlowWithoutSeal_Returns404ForSeal()
    {
        using var dila = fixture.CreateClient("DILA");
        using var nice = fixture.CreateClient("COMMUNE-06088");
        var flowId = await FlowApi.PostAcceptedAsync(dila, "etat-civil.demande-acte", "COMMUNE-06088", "<sans-cachet/>"u8.ToArray(), "application/xml");
        await FlowApi.WaitInMailboxAsync(nice, flowId, TimeSpan.FromSeconds(30));

        using var response = await nice.GetAsync($"/api/v1/mailbox/{flowId}/seal");

        await FlowApi.AssertProblemAsync(response, HttpStatusCode.NotFound, "seal-not-found");
    }

    [Fact]
    public async Task LevelAboveClientCertificates_IsNotSealed()
    {
        using var dila = fixture.CreateClient("DILA");

        using var response = await FlowApi.PostFlowAsync(dila, "test.scelle-rgs3", "COMMUNE-06088", "<demande/>"u8.ToArray(), "application/xml");

        await FlowApi.AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity, "signature-missing-signature");
    }
}
