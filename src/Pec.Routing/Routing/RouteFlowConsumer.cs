using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Pec.Routing.Audit;
using Pec.Routing.Delivery;
using Pec.Routing.Flows;
using Pec.Routing.Mailbox;
using Pec.Routing.Messages;
using Pec.Routing.Outbox;
using Pec.Routing.Persistence;

namespace Pec.Routing.Routing;

/// <summary>
/// Creates one delivery per recipient of an accepted flow, on the recipient's channel: available
/// in the mailbox, or pending and dispatched at once for HTTPS push. Idempotent: the step is recorded in
/// <c>processed_steps</c> in the same transaction, and the message is acknowledged only after the commit.
/// </summary>
internal sealed class RouteFlowConsumer(
    NpgsqlDataSource dataSource,
    AuditLog auditLog,
    OutboxWriter outbox,
    IOptions<DeliveryOptions> deliveryOptions,
    TimeProvider timeProvider,
    ILogger<RouteFlowConsumer> logger)
    : IConsumer<FlowAccepted>
{
    private const string Step = "route";

    public async Task Consume(ConsumeContext<FlowAccepted> context)
    {
        var flowId = context.Message.FlowId;
        var cancellationToken = context.CancellationToken;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var now = timeProvider.Now();

        await MailboxRepository.LockFlowAsync(connection, transaction, flowId, cancellationToken);
        var firstTime = await connection.ExecuteAsync(
            "insert into processed_steps (flow_id, step, processed_at) values (@flow, @step, @at) on conflict do nothing",
            transaction, cancellationToken, ("flow", flowId), ("step", Step), ("at", now));
        if (firstTime == 0)
        {
            Log.RouteSkipped(logger, flowId);
            return;
        }

        var flow = await FlowRepository.FindAsync(connection, transaction, flowId, cancellationToken)
            ?? throw new InvalidOperationException($"Flow {flowId} is not in the database; the message cannot be routed.");
        var expiry = await connection.ScalarAsync<long>(
            "select delivery_expiry_s from flow_types where id = @type", transaction, cancellationToken, ("type", flow.FlowTypeId));
        var channels = await connection.QueryAsync(
            "select id, delivery_channel from administrations where id = any(@ids) order by id",
            transaction, r => (Recipient: r.GetString(0), Channel: r.GetString(1)), cancellationToken, ("ids", flow.Recipients.ToArray()));
        var dispatched = false;
        foreach (var (recipient, channel) in channels)
        {
            var push = channel != IDeliveryChannel.Mailbox;
            await connection.ExecuteAsync(
                """
                insert into deliveries (flow_id, recipient_id, channel, status, routed_at, expires_at, next_attempt_at)
                values (@flow, @recipient, @channel, @status, @at, @expires, @at)
                on conflict do nothing
                """,
                transaction, cancellationToken, ("flow", flowId), ("recipient", recipient), ("channel", channel),
                ("status", push ? FlowStatus.Pending : FlowStatus.Available), ("at", now), ("expires", now + TimeSpan.FromSeconds(expiry)));
            if (push)
            {
                var message = await DeliveryStore.DispatchAsync(connection, transaction, flowId, recipient, now + deliveryOptions.Value.DispatchLease, cancellationToken);
                await outbox.AddDeliveryDueAsync(connection, transaction, message, cancellationToken);
                dispatched = true;
            }
        }

        await MailboxRepository.RefreshFlowStatusAsync(connection, transaction, flowId, now, cancellationToken);
        await auditLog.AppendAsync(
            connection, transaction, AuditEvent.FlowRouted, actorId: null, flowId,
            new { recipients = channels.Select(c => new { recipient = c.Recipient, channel = c.Channel }) }, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        if (dispatched)
        {
            outbox.NotifyCommitted();
        }

        Log.FlowRouted(logger, flowId, flow.Recipients.Count);
    }
}
