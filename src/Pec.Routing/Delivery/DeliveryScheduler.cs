using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Pec.Routing.Flows;
using Pec.Routing.Mailbox;
using Pec.Routing.Messages;
using Pec.Routing.Outbox;
using Pec.Routing.Persistence;
using Pec.Routing.Routing;

namespace Pec.Routing.Delivery;

/// <summary>
/// The durable clock of delivery, since Debian's RabbitMQ has no delayed-message plugin: retries
/// wait in PostgreSQL, not in the broker. On each tick it dispatches due retries through the
/// outbox, ends expired deliveries with a non-delivery receipt, and publishes again flows whose
/// routing message never got processed. Rows are taken with SKIP LOCKED, so several routing
/// processes can run it side by side.
/// </summary>
internal sealed class DeliveryScheduler(
    NpgsqlDataSource dataSource,
    OutboxWriter outbox,
    DeliveryFailure failure,
    IOptions<DeliveryOptions> options,
    IOptions<RoutingOptions> routingOptions,
    TimeProvider timeProvider,
    ILogger<DeliveryScheduler> logger) : BackgroundService
{
    private const int BatchSize = 200;

    // The trace of the request that accepted the flow: its first outbox row carries it.
    private static string FirstTraceParent(string flowIdColumn) =>
        $"select o.trace_parent from outbox o where o.flow_id = {flowIdColumn} order by o.id limit 1";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!routingOptions.Value.RunConsumers)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await TickAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (exception is NpgsqlException or TimeoutException or InvalidOperationException)
            {
                Log.DeliverySchedulerFailed(logger, exception);
            }

            await Task.Delay(options.Value.SchedulerInterval, timeProvider, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    internal async Task TickAsync(CancellationToken cancellationToken)
    {
        var dispatched = await DispatchDueAsync(cancellationToken);
        var rerouted = await RepublishUnroutedAsync(cancellationToken);
        if (dispatched + rerouted > 0)
        {
            outbox.NotifyCommitted();
        }

        await ExpireAsync(cancellationToken);
    }

    private async Task<int> DispatchDueAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var now = timeProvider.Now();
        // A delivery whose last dispatch still waits in the outbox (broker down) is left to it: a
        // new dispatch would only add rows. Retries continue the trace of the flow's submission.
        var due = await connection.QueryAsync(
            $"""
            select d.flow_id, d.recipient_id, ({FirstTraceParent("d.flow_id")}) from deliveries d
            where d.status = 'pending' and d.next_attempt_at <= @now and d.expires_at > @now
              and not exists (select 1 from outbox o where o.flow_id = d.flow_id and o.sent_at is null
                              and o.message_type = 'delivery-due' and o.body->>'RecipientId' = d.recipient_id)
            order by d.next_attempt_at limit @limit for update of d skip locked
            """,
            transaction, r => (Flow: r.GetGuid(0), Recipient: r.GetString(1), Trace: r.GetNullableString(2)), cancellationToken, ("now", now), ("limit", BatchSize));
        foreach (var (flow, recipient, trace) in due)
        {
            var message = await DeliveryStore.DispatchAsync(connection, transaction, flow, recipient, now + options.Value.DispatchLease, cancellationToken);
            await outbox.AddDeliveryDueAsync(connection, transaction, message, cancellationToken, trace);
        }

        await transaction.CommitAsync(cancellationToken);
        return due.Count;
    }

    private async Task<int> RepublishUnroutedAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var now = timeProvider.Now();
        var stale = await connection.QueryAsync(
            $"""
            select f.id, ({FirstTraceParent("f.id")}) from flows f
            where f.status = 'accepted' and f.updated_at < @before
              and not exists (select 1 from outbox o where o.flow_id = f.id and o.sent_at is null and o.message_type = 'flow-accepted')
            order by f.id limit @limit for update of f skip locked
            """,
            transaction, r => (Id: r.GetGuid(0), Trace: r.GetNullableString(1)), cancellationToken, ("before", now - options.Value.RouteLease), ("limit", BatchSize));
        foreach (var (flowId, trace) in stale)
        {
            await outbox.AddFlowAcceptedAsync(connection, transaction, new FlowAccepted(flowId), cancellationToken, trace);
            await connection.ExecuteAsync("update flows set updated_at = @at where id = @id", transaction, cancellationToken, ("at", now), ("id", flowId));
            Log.FlowRepublished(logger, flowId);
        }

        await transaction.CommitAsync(cancellationToken);
        return stale.Count;
    }

    private async Task ExpireAsync(CancellationToken cancellationToken)
    {
        List<(Guid Flow, string Recipient)> candidates;
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        {
            candidates = await connection.QueryAsync(ExpiredSql + " limit @limit", null,
                r => (Flow: r.GetGuid(0), Recipient: r.GetString(1)), cancellationToken, ("now", timeProvider.Now()), ("limit", BatchSize));
        }

        foreach (var (flowId, recipientId) in candidates)
        {
            await ExpireOneAsync(flowId, recipientId, cancellationToken);
        }
    }

    // A pending delivery whose next attempt is still ahead is in flight (leased); it expires when the lease ends.
    private const string ExpiredSql =
        """
        select flow_id, recipient_id, status from deliveries
        where status in ('available', 'pending') and expires_at <= @now
          and (status = 'available' or next_attempt_at <= @now)
        """;

    private async Task ExpireOneAsync(Guid flowId, string recipientId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await MailboxRepository.LockFlowAsync(connection, transaction, flowId, cancellationToken);
        var rows = await connection.QueryAsync(
            ExpiredSql + " and flow_id = @flow and recipient_id = @recipient for update",
            transaction, r => r.GetString(2), cancellationToken, ("now", timeProvider.Now()), ("flow", flowId), ("recipient", recipientId));
        var flow = await FlowRepository.FindAsync(connection, transaction, flowId, cancellationToken);
        if (rows.Count == 0 || flow is null)
        {
            return;
        }

        var (reason, detail) = rows[0] == "available"
            ? (DeadLetterReason.Expired, "not fetched from the mailbox before the delivery expiry")
            : (await DeliveryFailure.ExpiryReasonAsync(connection, transaction, flowId, recipientId, cancellationToken), "no successful attempt before the delivery expiry");
        await failure.FailAsync(connection, transaction, flow, recipientId, reason, detail, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        Log.DeliveryFailed(logger, flowId, flow.SenderId, recipientId, reason);
    }
}
