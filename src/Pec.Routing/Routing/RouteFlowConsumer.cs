using MassTransit;
using Microsoft.Extensions.Logging;
using Npgsql;
using Pec.Routing.Audit;
using Pec.Routing.Flows;
using Pec.Routing.Mailbox;
using Pec.Routing.Messages;
using Pec.Routing.Persistence;

namespace Pec.Routing.Routing;

/// <summary>
/// Creates one delivery per recipient of an accepted flow. Idempotent: the step is recorded in
/// <c>processed_steps</c> in the same transaction, and the message is acknowledged only after the commit.
/// </summary>
internal sealed class RouteFlowConsumer(NpgsqlDataSource dataSource, AuditLog auditLog, TimeProvider timeProvider, ILogger<RouteFlowConsumer> logger)
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
        foreach (var recipient in flow.Recipients)
        {
            await connection.ExecuteAsync(
                """
                insert into deliveries (flow_id, recipient_id, channel, status, routed_at)
                values (@flow, @recipient, 'mailbox', 'available', @at)
                on conflict do nothing
                """,
                transaction, cancellationToken, ("flow", flowId), ("recipient", recipient), ("at", now));
        }

        await MailboxRepository.RefreshFlowStatusAsync(connection, transaction, flowId, now, cancellationToken);
        await auditLog.AppendAsync(
            connection, transaction, AuditEvent.FlowRouted, actorId: null, flowId,
            new { recipients = flow.Recipients, channel = "mailbox" }, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        Log.FlowRouted(logger, flowId, flow.Recipients.Count);
    }
}
