using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Pec.Gateway.Tests.Infrastructure;

namespace Pec.Gateway.Tests.Audit;

[Collection(GatewayTestGroup.Name)]
public sealed class AuditChainTests(GatewayFixture fixture)
{
    [Fact]
    public async Task Chain_AfterFlowsAndRejections_IsValid()
    {
        using var dila = fixture.CreateClient("DILA");
        using var auditor = fixture.CreateClient("AUDIT");
        await FlowApi.PostAcceptedAsync(dila, "etat-civil.demande-acte", "COMMUNE-06088", "<chain/>"u8.ToArray(), "application/xml");
        using var rejected = await FlowApi.PostFlowAsync(dila, "actes.transmission", "PREF-44", "<a/>"u8.ToArray(), "application/xml");

        var report = await auditor.GetFromJsonAsync<JsonElement>("/api/v1/audit/log/verify");

        Assert.True(report.GetProperty("valid").GetBoolean(), report.ToString());
        Assert.True(report.GetProperty("entriesChecked").GetInt64() >= 3);
    }

    [Fact]
    public async Task Chain_WithEditedEntry_IsReportedBroken()
    {
        using var dila = fixture.CreateClient("DILA");
        using var auditor = fixture.CreateClient("AUDIT");
        await FlowApi.PostAcceptedAsync(dila, "etat-civil.demande-acte", "COMMUNE-06088", "<tamper/>"u8.ToArray(), "application/xml");
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var edit = new NpgsqlCommand(
            "update audit_log set canonical = replace(canonical, 'DILA', 'XXXX') where seq = (select min(seq) from audit_log where actor_id = 'DILA') returning seq",
            connection, transaction))
        {
            var editedSeq = (long)(await edit.ExecuteScalarAsync())!;

            // The verifier reads committed data only: the edit is committed, checked, then undone.
            await transaction.CommitAsync();
            try
            {
                var report = await auditor.GetFromJsonAsync<JsonElement>("/api/v1/audit/log/verify");

                Assert.False(report.GetProperty("valid").GetBoolean());
                Assert.Equal(editedSeq, report.GetProperty("firstInvalidSequence").GetInt64());
            }
            finally
            {
                await using var undo = new NpgsqlCommand(
                    "update audit_log set canonical = replace(canonical, 'XXXX', 'DILA') where seq = @seq", connection);
                undo.Parameters.AddWithValue("seq", editedSeq);
                await undo.ExecuteNonQueryAsync();
            }
        }

        var repaired = await auditor.GetFromJsonAsync<JsonElement>("/api/v1/audit/log/verify");
        Assert.True(repaired.GetProperty("valid").GetBoolean(), repaired.ToString());
    }

    [Fact]
    public async Task Chain_WithAlteredColumn_IsReportedBroken()
    {
        using var dila = fixture.CreateClient("DILA");
        using var auditor = fixture.CreateClient("AUDIT");
        var flowId = await FlowApi.PostAcceptedAsync(dila, "etat-civil.demande-acte", "COMMUNE-06088", "<column/>"u8.ToArray(), "application/xml");
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        var seq = await ExecuteScalarAsync(connection, $"update audit_log set actor_id = 'PREF-44' where flow_id = '{flowId}' and event = 'flow.accepted' returning seq");
        try
        {
            var report = await auditor.GetFromJsonAsync<JsonElement>("/api/v1/audit/log/verify");

            Assert.False(report.GetProperty("valid").GetBoolean());
            Assert.Equal(seq, report.GetProperty("firstInvalidSequence").GetInt64());
            Assert.Equal("columns-altered", report.GetProperty("problem").GetString());
            Assert.Equal("les colonnes de l'entrée ne correspondent plus au texte haché", report.GetProperty("detail").GetString());
        }
        finally
        {
            await ExecuteScalarAsync(connection, $"update audit_log set actor_id = 'DILA' where seq = {seq} returning seq");
        }
    }

    private static async Task<long> ExecuteScalarAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
