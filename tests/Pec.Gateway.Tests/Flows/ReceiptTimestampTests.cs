using System.Net.Http.Json;
using System.Text.Json;
using Pec.Gateway.Tests.Infrastructure;
using Pec.Signing.Receipts;

namespace Pec.Gateway.Tests.Flows;

/// <summary>
/// Receipts are issued as XAdES B-B and upgraded to B-T with the TSA's token. While the TSA is down,
/// flows are still accepted, and their receipts are upgraded once it answers again.
/// </summary>
[Collection(GatewayTestGroup.Name)]
public sealed class ReceiptTimestampTests(GatewayFixture fixture)
{
    [Fact]
    public async Task Receipt_IsUpgradedToBaselineT()
    {
        using var dila = fixture.CreateClient("DILA");
        var flowId = await FlowApi.PostAcceptedAsync(dila, "etat-civil.demande-acte", "COMMUNE-06088", "<horodatage/>"u8.ToArray(), "application/xml");

        var document = await WaitForTimestampAsync(dila, flowId, TimeSpan.FromSeconds(20));

        var (exitCode, output) = await Xmlsec.VerifyAsync(document, fixture.Pki.CaPath);
        Assert.True(exitCode == 0, output);
        var verified = Verifier().Verify(document, [fixture.Pki.Ca]);
        Assert.True(verified.IsValid, verified.FailureReason);
        Assert.Equal(ReceiptSignatureLevel.XadesBaselineT, verified.Level);
    }

    [Fact]
    public async Task TsaDown_FlowAccepted_ReceiptUpgradedWhenBack()
    {
        using var dila = fixture.CreateClient("DILA");
        await fixture.StopTsaAsync();
        Guid flowId;
        try
        {
            flowId = await FlowApi.PostAcceptedAsync(dila, "etat-civil.demande-acte", "COMMUNE-06088", "<panne/>"u8.ToArray(), "application/xml");
            await Task.Delay(TimeSpan.FromSeconds(2));

            Assert.Equal(0, await fixture.CountAsync($"select count(*) from receipts where flow_id = '{flowId}' and timestamped_at is not null"));
            var waiting = await ReadDepositAsync(dila, flowId);
            Assert.True(Verifier().Verify(waiting, [fixture.Pki.Ca]).IsValid);
        }
        finally
        {
            await fixture.StartTsaAsync();
        }

        var document = await WaitForTimestampAsync(dila, flowId, TimeSpan.FromSeconds(60));
        Assert.Equal(ReceiptSignatureLevel.XadesBaselineT, Verifier().Verify(document, [fixture.Pki.Ca]).Level);
        Assert.Equal(1, await fixture.CountAsync($"select count(*) from audit_log where flow_id = '{flowId}' and event = 'receipt.timestamped'"));
    }

    private ReceiptVerifier Verifier() =>
        new(TimeProvider.System, new ReceiptVerifierOptions { TrustedTsaCertificates = [fixture.Pki.Ca] });

    private async Task<byte[]> WaitForTimestampAsync(HttpClient client, Guid flowId, TimeSpan timeout)
    {
        var deadline = TimeProvider.System.GetUtcNow() + timeout;
        while (await fixture.CountAsync($"select count(*) from receipts where flow_id = '{flowId}' and kind = 'deposit' and timestamped_at is not null") == 0)
        {
            Assert.True(TimeProvider.System.GetUtcNow() < deadline, $"The deposit receipt of {flowId} was not timestamped within {timeout}.");
            await Task.Delay(100);
        }

        return await ReadDepositAsync(client, flowId);
    }

    private static async Task<byte[]> ReadDepositAsync(HttpClient client, Guid flowId)
    {
        var list = await client.GetFromJsonAsync<JsonElement>($"/api/v1/flows/{flowId}/receipts");
        var deposit = list.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("kind").GetString() == "deposit");
        return await client.GetByteArrayAsync(deposit.GetProperty("href").GetString());
    }
}
