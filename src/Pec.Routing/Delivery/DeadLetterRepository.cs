using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Pec.Routing.Audit;
using Pec.Routing.Mailbox;
using Pec.Routing.Outbox;
using Pec.Routing.Persistence;

namespace Pec.Routing.Delivery;

/// <summary>
/// The operators' view of dead letters: list them, replay one (the delivery starts again with a
/// fresh expiry) or discard it (the failure stands). Each action is audited with the operator's id.
/// </summary>
public sealed class DeadLetterRepository
{
    private const string Columns =
        """
        l.id, l.flow_id, f.flow_type_id, f.sender_id, l.recipient_id, l.reason, l.detail, l.attempts, l.created_at,
        l.status, l.resolved_at, l.resolved_by, l.resolution_note
        """;

    private readonly NpgsqlDataSource _dataSource;
    private readonly AuditLog _auditLog;
    private readonly OutboxWriter _outbox;
    private readonly IOptions<DeliveryOptions> _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<DeadLetterRepository> _logger;

    internal DeadLetterRepository(NpgsqlDataSource dataSource, AuditLog auditLog, OutboxWriter outbox, IOptions<DeliveryOptions> options, TimeProvider timeProvider, ILogger<DeadLetterRepository> logger)
    {
        _dataSource = dataSource;
        _auditLog = auditLog;
        _outbox = outbox;
        _options = options;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    public async Task<IReadOnlyList<DeadLetter>> ListAsync(DeadLetterQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QueryAsync(
            $"""
            select {Columns} from dead_letters l join flows f on f.id = l.flow_id
            where (@status::text is null or l.status = @status) and (@reason::text is null or l.reason = @reason)
              and (@recipient::text is null or l.recipient_id = @recipient) and (@after::uuid is null or l.id > @after)
            order by l.id limit @limit
            """,
            null, Read, cancellationToken,
            ("status", query.Status), ("reason", query.Reason), ("recipient", query.RecipientId), ("after", query.After), ("limit", query.Limit));
    }

    public async Task<(DeadLetter Letter, IReadOnlyList<DeliveryAttempt> Attempts)?> FindAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        var letters = await connection.QueryAsync(
            $"select {Columns} from dead_letters l join flows f on f.id = l.flow_id where l.id = @id", null, Read, cancellationToken, ("id", id));
        if (letters.Count == 0)
        {
            return null;
        }

        var attempts = await connection.QueryAsync(
            """
            select attempt, started_at, finished_at, outcome, http_status, detail from delivery_attempts
            where flow_id = @flow and recipient_id = @recipient order by id
            """,
            null,
            r => new DeliveryAttempt(r.GetInt32(0), r.GetFieldValue<DateTimeOffset>(1), r.GetFieldValue<DateTimeOffset>(2), r.GetString(3),
                r.IsDBNull(4) ? null : r.GetInt32(4), r.GetNullableString(5)),
            cancellationToken, ("flow", letters[0].FlowId), ("recipient", letters[0].RecipientId));
        return (letters[0], attempts);
    }

    /// <summary>
    /// Starts the delivery again: pending and dispatched now for push, available again in the
    /// mailbox. The attempt count starts again from zero, so the back-off does too; the attempts
    /// before the replay stay recorded.
    /// </summary>
    public Task<DeadLetterAction> ReplayAsync(Guid id, string operatorId, string? note, CancellationToken cancellationToken) =>
        ResolveAsync(id, operatorId, note, "replayed", cancellationToken);

    /// <summary>Closes the dead letter; the delivery stays failed and its non-delivery receipt stands.</summary>
    public Task<DeadLetterAction> DiscardAsync(Guid id, string operatorId, string? note, CancellationToken cancellationToken) =>
        ResolveAsync(id, operatorId, note, "discarded", cancellationToken);

    private async Task<DeadLetterAction> ResolveAsync(Guid id, string operatorId, string? note, string status, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var flowIds = await connection.QueryAsync("select flow_id from dead_letters where id = @id", transaction, r => r.GetGuid(0), cancellationToken, ("id", id));
        if (flowIds.Count == 0)
        {
            return DeadLetterAction.NotFound;
        }

        // Flow lock first, as every other writer of deliveries does, then the dead letter itself.
        await MailboxRepository.LockFlowAsync(connection, transaction, flowIds[0], cancellationToken);
        var letters = await connection.QueryAsync(
            $"select {Columns} from dead_letters l join flows f on f.id = l.flow_id where l.id = @id for update of l",
            transaction, Read, cancellationToken, ("id", id));
        var letter = letters[0];
        if (letter.Status != "open")
        {
            return DeadLetterAction.NotOpen;
        }

        var now = _timeProvider.Now();
        await connection.ExecuteAsync(
            "update dead_letters set status = @status, resolved_at = @at, resolved_by = @operator, resolution_note = @note where id = @id",
            transaction, cancellationToken, ("status", status), ("at", now), ("operator", operatorId), ("note", note), ("id", id));
        if (status == "replayed")
        {
            await RestartDeliveryAsync(connection, transaction, letter, now, cancellationToken);
        }

        await _auditLog.AppendAsync(
            connection, transaction, status == "replayed" ? AuditEvent.DeadLetterReplayed : AuditEvent.DeadLetterDiscarded, operatorId, letter.FlowId,
            new { deadLetter = id, recipient = letter.RecipientId, reason = letter.Reason, note }, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        _outbox.NotifyCommitted();
        Log.DeadLetterResolved(_logger, id, status, operatorId);
        return DeadLetterAction.Done;
    }

    private async Task RestartDeliveryAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, DeadLetter letter, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var channel = await connection.ScalarAsync<string>(
            """
            update deliveries d set status = case when d.channel = 'mailbox' then 'available' else 'pending' end,
                failed_at = null, failure_reason = null, next_attempt_at = @at, attempts = 0,
                expires_at = @at + make_interval(secs => t.delivery_expiry_s)
            from flows f join flow_types t on t.id = f.flow_type_id
            where f.id = d.flow_id and d.flow_id = @flow and d.recipient_id = @recipient
            returning d.channel
            """,
            transaction, cancellationToken, ("at", now), ("flow", letter.FlowId), ("recipient", letter.RecipientId));
        if (channel != IDeliveryChannel.Mailbox)
        {
            var message = await DeliveryStore.DispatchAsync(connection, transaction, letter.FlowId, letter.RecipientId, now + _options.Value.DispatchLease, cancellationToken);
            await _outbox.AddDeliveryDueAsync(connection, transaction, message, cancellationToken);
        }

        await MailboxRepository.RefreshFlowStatusAsync(connection, transaction, letter.FlowId, now, cancellationToken);
    }

    private static DeadLetter Read(NpgsqlDataReader r) =>
        new(r.GetGuid(0), r.GetGuid(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5), r.GetString(6), r.GetInt32(7),
            r.GetFieldValue<DateTimeOffset>(8), r.GetString(9), r.GetNullableTime(10), r.GetNullableString(11), r.GetNullableString(12));
}
