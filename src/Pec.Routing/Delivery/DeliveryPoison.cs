using Microsoft.Extensions.Logging;
using Npgsql;
using Pec.Routing.Flows;
using Pec.Routing.Mailbox;
using Pec.Routing.Persistence;

namespace Pec.Routing.Delivery;

/// <summary>
/// Ends a delivery whose message failed on every in-memory retry with an unexpected error, so a
/// bug or bad data shows up as a dead letter an operator can replay, rather than as an endless loop.
/// </summary>
internal sealed class DeliveryPoison(NpgsqlDataSource dataSource, DeliveryFailure failure, ILogger<DeliveryPoison> logger)
{
    public async Task RecordAsync(DeliveryDue message, Exception exception, CancellationToken cancellationToken)
    {
        Log.DeliveryPoisoned(logger, exception, message.FlowId, message.RecipientId);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await MailboxRepository.LockFlowAsync(connection, transaction, message.FlowId, cancellationToken);
        var current = await connection.ScalarAsync<bool>(
            "select exists (select 1 from deliveries where flow_id = @flow and recipient_id = @recipient and status = 'pending' and dispatch_id = @dispatch)",
            transaction, cancellationToken, ("flow", message.FlowId), ("recipient", message.RecipientId), ("dispatch", message.DispatchId));
        var flow = await FlowRepository.FindAsync(connection, transaction, message.FlowId, cancellationToken);
        if (!current || flow is null)
        {
            return;
        }

        await failure.FailAsync(
            connection, transaction, flow, message.RecipientId, DeadLetterReason.PoisonMessage,
            $"processing failed {DeliveryConsumer.MessageRetryLimit + 1} times: {exception.GetType().Name}: {exception.Message}", cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }
}
