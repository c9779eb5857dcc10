using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Pec.Routing.Audit;
using Pec.Routing.Persistence;
using Pec.Signing.Timestamping;

namespace Pec.Routing.Receipts;

/// <summary>
/// Upgrades stored receipts from XAdES B-B to B-T by adding a signature timestamp from the
/// configured TSA. Receipts wait in PostgreSQL (<c>timestamped_at is null</c>) while the TSA is
/// unreachable, and are upgraded, oldest first, once it responds again; none is skipped. Rows are
/// locked with <c>SKIP LOCKED</c>, so several gateway processes can run this side by side.
/// </summary>
internal sealed class ReceiptTimestampUpgrader(
    NpgsqlDataSource dataSource,
    ReceiptTimestamper timestamper,
    AuditLog auditLog,
    TimeProvider timeProvider,
    ILogger<ReceiptTimestampUpgrader> logger) : BackgroundService
{
    private const int BatchSize = 20;
    private static readonly TimeSpan IdleDelay = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!timestamper.IsEnabled)
        {
            return;
        }

        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            TimeSpan delay;
            try
            {
                var upgraded = await UpgradeBatchAsync(stoppingToken);
                if (failures > 0)
                {
                    Log.TimestampAuthorityBack(logger, failures);
                }

                failures = 0;
                delay = upgraded == BatchSize ? TimeSpan.Zero : IdleDelay;
            }
            catch (TimestampUnavailableException exception)
            {
                // One warning when the outage starts, then quiet retries with growing delays.
                if (failures++ == 0)
                {
                    Log.TimestampAuthorityUnavailable(logger, exception, exception.Url);
                }

                delay = TimeSpan.FromMilliseconds(Math.Min(MaxBackoff.TotalMilliseconds, 500 * Math.Pow(2, Math.Min(failures, 6))));
            }
            catch (InvalidTimestampException exception)
            {
                // A reply that does not verify (wrong imprint, untrusted TSA) is an operator matter;
                // the receipt keeps waiting rather than being upgraded with a bad token.
                failures++;
                Log.TimestampRejected(logger, exception, exception.Url);
                delay = MaxBackoff;
            }
            catch (NpgsqlException exception)
            {
                Log.TimestampUpgradeFailed(logger, exception);
                delay = MaxBackoff;
            }

            await Task.Delay(delay, timeProvider, stoppingToken);
        }
    }

    /// <summary>Timestamps up to one batch of receipts; returns how many were upgraded.</summary>
    internal async Task<int> UpgradeBatchAsync(CancellationToken cancellationToken)
    {
        var upgraded = 0;
        for (var i = 0; i < BatchSize; i++)
        {
            if (!await UpgradeOneAsync(cancellationToken))
            {
                break;
            }

            upgraded++;
        }

        return upgraded;
    }

    private async Task<bool> UpgradeOneAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var rows = await connection.QueryAsync(
            """
            select id, flow_id, document from receipts
            where timestamped_at is null order by issued_at limit 1 for update skip locked
            """,
            transaction,
            r => (Id: r.GetGuid(0), FlowId: r.GetGuid(1), Document: r.GetFieldValue<byte[]>(2)),
            cancellationToken);
        if (rows.Count == 0)
        {
            return false;
        }

        var receipt = rows[0];

        // The timestamp covers the SignatureValue only; the receipt's signature stays valid.
        var timestamped = await timestamper.AddSignatureTimestampAsync(receipt.Document, cancellationToken);
        var now = timeProvider.Now();
        await connection.ExecuteAsync(
            "update receipts set document = @document, timestamped_at = @at where id = @id",
            transaction, cancellationToken, ("document", timestamped), ("at", now), ("id", receipt.Id));
        await auditLog.AppendAsync(
            connection, transaction, AuditEvent.ReceiptTimestamped, actorId: null, receipt.FlowId, new { receiptId = receipt.Id }, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }
}
