using Npgsql;

namespace Pec.Faults.Tests;

/// <summary>
/// What the suite asserts once the platform is quiet, read from PostgreSQL and from what the
/// recipients saw: nothing lost, no two different deliveries for one flow, receipts and audit
/// entries one for one with deliveries, ordering kept.
/// </summary>
internal sealed class FaultChecks(string connectionString)
{
    public async Task<long> ScalarAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task<List<(Guid Flow, string Recipient, string Status, string Channel)>> DeliveriesAsync()
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            select r.flow_id, r.recipient_id, coalesce(d.status, 'missing'), coalesce(d.channel, '')
            from flow_recipients r left join deliveries d on d.flow_id = r.flow_id and d.recipient_id = r.recipient_id
            """, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(Guid, string, string, string)>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)));
        }

        return rows;
    }

    /// <summary>Work not finished: unrouted flows, deliveries not terminal, outbox rows unsent.</summary>
    public Task<long> UnfinishedAsync() => ScalarAsync(
        """
        select (select count(*) from flows where status = 'accepted')
             + (select count(*) from deliveries where status in ('available', 'pending')
                                                   or (channel = 'mailbox' and status = 'delivered'))
             + (select count(*) from outbox where sent_at is null)
        """);

    /// <summary>Deliveries whose receipts do not match their state one for one.</summary>
    public Task<long> ReceiptMismatchesAsync() => ScalarAsync(
        """
        select count(*) from deliveries d
        where (select count(*) from receipts r where r.flow_id = d.flow_id and r.recipient_id = d.recipient_id and r.kind = 'delivery')
                <> case when d.status in ('delivered', 'acknowledged') then 1 else 0 end
           or (select count(*) from receipts r where r.flow_id = d.flow_id and r.recipient_id = d.recipient_id and r.kind = 'non-delivery')
                <> case when d.status = 'failed' then 1 else 0 end
           or (select count(*) from receipts r where r.flow_id = d.flow_id and r.recipient_id = d.recipient_id and r.kind = 'acknowledgement')
                <> case when d.status = 'acknowledged' then 1 else 0 end
        """);

    /// <summary>Deliveries whose audit entries do not match one for one (one flow.delivered per delivered recipient).</summary>
    public Task<long> AuditMismatchesAsync() => ScalarAsync(
        """
        select count(*) from deliveries d
        where (select count(*) from audit_log a where a.flow_id = d.flow_id and a.event = 'flow.delivered'
                 and a.details->>'recipient' = d.recipient_id)
              <> case when d.status in ('delivered', 'acknowledged') then 1 else 0 end
        """);

    public Task<long> FlowsWithoutOneDepositAsync() => ScalarAsync(
        """
        select count(*) from flows f
        where (select count(*) from receipts r where r.flow_id = f.id and r.kind = 'deposit') <> 1
           or (select count(*) from audit_log a where a.flow_id = f.id and a.event = 'flow.accepted') <> 1
        """);
}
