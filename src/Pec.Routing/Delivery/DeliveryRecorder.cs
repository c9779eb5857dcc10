using Microsoft.Extensions.Options;
using Npgsql;
using Pec.Routing.Audit;
using Pec.Routing.Mailbox;
using Pec.Routing.Persistence;
using Pec.Routing.Receipts;
using Pec.Signing.Receipts;

namespace Pec.Routing.Delivery;

/// <summary>
/// Records the outcome of one push attempt in one transaction: the attempt row, the new delivery
/// state, and for a success the audit entry and receipts. An attempt whose dispatch is no longer
/// current (another copy of the message won, or an operator acted) is recorded and changes nothing else.
/// </summary>
internal sealed class DeliveryRecorder(
    NpgsqlDataSource dataSource,
    DeliveryFailure failure,
    ReceiptIssuer receiptIssuer,
    AuditLog auditLog,
    IOptions<DeliveryOptions> options,
    TimeProvider timeProvider)
{
    public async Task RecordAsync(DeliveryDue message, DeliveryTarget target, PushOutcome outcome, DateTimeOffset startedAt, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await MailboxRepository.LockFlowAsync(connection, transaction, target.Flow.Id, cancellationToken);
        var current = await connection.ScalarAsync<bool>(
            """
            select exists (select 1 from deliveries
                           where flow_id = @flow and recipient_id = @recipient and status = 'pending' and dispatch_id = @dispatch)
            """,
            transaction, cancellationToken, ("flow", message.FlowId), ("recipient", message.RecipientId), ("dispatch", message.DispatchId));
        var attempt = outcome is PushOutcome.CircuitOpen ? target.Attempts : target.Attempts + 1;
        await InsertAttemptAsync(connection, transaction, message, attempt, startedAt, outcome, cancellationToken);
        if (current)
        {
            await ApplyAsync(connection, transaction, target, attempt, outcome, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        if (current && outcome is PushOutcome.Delivered)
        {
            PecMetrics.Deliveries.Add(1);
            PecMetrics.DeliveryLatency.Record((timeProvider.GetUtcNow() - target.Flow.AcceptedAt).TotalSeconds);
        }
    }

    /// <summary>Fails a delivery whose payload is missing or altered, without attempting it.</summary>
    public async Task FailCorruptAsync(DeliveryDue message, DeliveryTarget target, DateTimeOffset startedAt, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await MailboxRepository.LockFlowAsync(connection, transaction, target.Flow.Id, cancellationToken);
        var detail = $"payload {target.Flow.PayloadSha256} missing from the store or not matching its digest";
        await InsertAttemptAsync(connection, transaction, message, target.Attempts, startedAt, new PushOutcome.Unreachable(detail), cancellationToken, "payload-corrupt");
        await failure.FailAsync(connection, transaction, target.Flow, target.RecipientId, DeadLetterReason.PayloadCorrupt, detail, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private async Task ApplyAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, DeliveryTarget target, int attempt, PushOutcome outcome, CancellationToken cancellationToken)
    {
        var now = timeProvider.Now();
        switch (outcome)
        {
            case PushOutcome.Delivered delivered:
                await MarkDeliveredAsync(connection, transaction, target, attempt, delivered, now, cancellationToken);
                break;
            case PushOutcome.Refused refused:
                await SetAttemptsAsync(connection, transaction, target, attempt, cancellationToken);
                await failure.FailAsync(connection, transaction, target.Flow, target.RecipientId, DeadLetterReason.RecipientRefused, refused.Detail, cancellationToken);
                break;
            case PushOutcome.CircuitOpen open:
                // Not an attempt, but the back-off of the real ones still applies: a recipient down
                // for days is then checked hourly, not at every end of the break.
                var wait = Max(open.RetryAfter, BackOff(Math.Max(attempt, 1)));
                await RescheduleAsync(connection, transaction, target, attempt, Min(now + wait, target.ExpiresAt), cancellationToken);
                break;
            default:
                await RescheduleAsync(connection, transaction, target, attempt, Min(now + BackOff(attempt), target.ExpiresAt), cancellationToken);
                PecMetrics.DeliveriesRetried.Add(1);
                break;
        }
    }

    private async Task MarkDeliveredAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, DeliveryTarget target, int attempt, PushOutcome.Delivered delivered, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var flow = target.Flow;
        var reply = delivered.Reply;
        await connection.ExecuteAsync(
            """
            update deliveries set status = @status, delivered_at = @at, acknowledged_at = case when @acknowledged then @at end,
                attempts = @attempts, dispatch_id = null, claimed_at = null, next_attempt_at = null,
                reply_sha256 = @replySha, reply_size = @replySize, reply_media_type = @replyMedia
            where flow_id = @flow and recipient_id = @recipient
            """,
            transaction, cancellationToken,
            ("status", reply is null ? "delivered" : "acknowledged"), ("at", now), ("acknowledged", reply is not null), ("attempts", attempt),
            ("replySha", reply?.Sha256Hex), ("replySize", reply?.Size), ("replyMedia", reply?.MediaType),
            ("flow", flow.Id), ("recipient", target.RecipientId));
        await MailboxRepository.RefreshFlowStatusAsync(connection, transaction, flow.Id, now, cancellationToken);
        await auditLog.AppendAsync(
            connection, transaction, AuditEvent.FlowDelivered, actorId: null, flow.Id,
            new { recipient = target.RecipientId, channel = target.Channel, httpStatus = delivered.Status, attempts = attempt }, cancellationToken);
        await receiptIssuer.IssueAsync(connection, transaction, new ReceiptRequest(ReceiptKind.Delivery, flow, target.RecipientId, now), cancellationToken);
        if (reply is not null)
        {
            await auditLog.AppendAsync(
                connection, transaction, AuditEvent.FlowAcknowledged, target.RecipientId, flow.Id,
                new { recipient = target.RecipientId, replySha256 = reply.Sha256Hex, replySize = reply.Size }, cancellationToken);
            await receiptIssuer.IssueAsync(
                connection, transaction, new ReceiptRequest(ReceiptKind.Acknowledgement, flow, target.RecipientId, now, Reply: reply), cancellationToken);
            PecMetrics.Acknowledgements.Add(1);
        }

        await DeliveryStore.WakeSuccessorsAsync(connection, transaction, flow, target.RecipientId, now, cancellationToken);
    }

    private static Task<int> SetAttemptsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, DeliveryTarget target, int attempt, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(
            "update deliveries set attempts = @attempts where flow_id = @flow and recipient_id = @recipient",
            transaction, cancellationToken, ("attempts", attempt), ("flow", target.Flow.Id), ("recipient", target.RecipientId));

    private static Task<int> RescheduleAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, DeliveryTarget target, int attempt, DateTimeOffset next, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(
            """
            update deliveries set attempts = @attempts, dispatch_id = null, claimed_at = null, next_attempt_at = @next
            where flow_id = @flow and recipient_id = @recipient
            """,
            transaction, cancellationToken, ("attempts", attempt), ("next", next), ("flow", target.Flow.Id), ("recipient", target.RecipientId));

    private Task<int> InsertAttemptAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, DeliveryDue message, int attempt, DateTimeOffset startedAt, PushOutcome outcome, CancellationToken cancellationToken, string? outcomeName = null) =>
        connection.ExecuteAsync(
            """
            insert into delivery_attempts (flow_id, recipient_id, attempt, started_at, finished_at, outcome, http_status, detail)
            values (@flow, @recipient, @attempt, @started, @finished, @outcome, @status, @detail)
            """,
            transaction, cancellationToken,
            ("flow", message.FlowId), ("recipient", message.RecipientId), ("attempt", attempt), ("started", startedAt),
            ("finished", timeProvider.Now()), ("outcome", outcomeName ?? OutcomeName(outcome)), ("status", StatusOf(outcome)),
            ("detail", outcome.Detail.Length <= 1000 ? outcome.Detail : outcome.Detail[..1000]));

    private static string OutcomeName(PushOutcome outcome) => outcome switch
    {
        PushOutcome.Delivered => "delivered",
        PushOutcome.Refused => "refused",
        PushOutcome.TemporaryFailure => "retry",
        PushOutcome.CircuitOpen => "circuit-open",
        _ => "unreachable",
    };

    private static int? StatusOf(PushOutcome outcome) => outcome switch
    {
        PushOutcome.Delivered d => d.Status,
        PushOutcome.Refused r => r.Status,
        PushOutcome.TemporaryFailure t => t.Status,
        _ => null,
    };

    private TimeSpan BackOff(int attempt) =>
        RetrySchedule.DelayBefore(attempt, options.Value.InitialRetryDelay, options.Value.MaxRetryDelay, Random.Shared.NextDouble());

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
