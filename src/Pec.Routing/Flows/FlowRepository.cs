using System.Text.Json;
using Npgsql;
using Pec.Routing.Audit;
using Pec.Routing.Messages;
using Pec.Routing.Outbox;
using Pec.Routing.Persistence;
using Pec.Routing.Receipts;
using Pec.Signing.Receipts;

namespace Pec.Routing.Flows;

/// <summary>Commits accepted flows and reads them back.</summary>
public sealed class FlowRepository
{
    internal const string FlowColumns =
        """
        f.id, f.flow_type_id, f.sender_id,
        array(select r.recipient_id from flow_recipients r where r.flow_id = f.id order by r.recipient_id),
        f.payload_sha256, f.payload_size, f.media_type, f.idempotency_key, f.correlation_id, f.status, f.accepted_at, f.updated_at,
        f.signature::text
        """;

    /// <summary>Number of columns of <see cref="FlowColumns"/>; queries that select more read them from this ordinal on.</summary>
    internal const int FlowColumnCount = 13;

    private static readonly JsonSerializerOptions EvidenceJson = new(JsonSerializerDefaults.Web);

    private readonly NpgsqlDataSource _dataSource;
    private readonly ReceiptIssuer _receiptIssuer;
    private readonly AuditLog _auditLog;
    private readonly OutboxWriter _outbox;
    private readonly TimeProvider _timeProvider;

    internal FlowRepository(NpgsqlDataSource dataSource, ReceiptIssuer receiptIssuer, AuditLog auditLog, OutboxWriter outbox, TimeProvider timeProvider)
    {
        _dataSource = dataSource;
        _receiptIssuer = receiptIssuer;
        _auditLog = auditLog;
        _outbox = outbox;
        _timeProvider = timeProvider;
    }

    /// <summary>
    /// Commits the flow row, its recipients, the deposit receipt, the audit entries and the outbox
    /// row in one transaction. A reused idempotency key returns the original flow when the content
    /// and headers match, and a conflict otherwise.
    /// </summary>
    public async Task<AcceptResult> AcceptAsync(NewFlow submission, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(submission);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var acceptedAt = _timeProvider.Now();
        var flowId = Guid.CreateVersion7(acceptedAt);

        var inserted = await connection.ExecuteAsync(
            """
            insert into flows (id, flow_type_id, sender_id, payload_sha256, payload_size, media_type,
                               idempotency_key, correlation_id, status, accepted_at, updated_at, signature)
            values (@id, @type, @sender, @sha, @size, @media, @key, @correlation, 'accepted', @at, @at, @signature::jsonb)
            on conflict (sender_id, idempotency_key) do nothing
            """,
            transaction, cancellationToken,
            ("id", flowId), ("type", submission.FlowTypeId), ("sender", submission.SenderId), ("sha", submission.Payload.Sha256Hex),
            ("size", submission.Payload.Size), ("media", submission.MediaType), ("key", submission.IdempotencyKey),
            ("correlation", submission.CorrelationId), ("at", acceptedAt),
            ("signature", submission.Signature is null ? null : JsonSerializer.Serialize(submission.Signature, EvidenceJson)));
        if (inserted == 0)
        {
            await transaction.RollbackAsync(cancellationToken);
            return await ReplayAsync(submission, cancellationToken);
        }

        foreach (var recipient in submission.Recipients)
        {
            await connection.ExecuteAsync(
                "insert into flow_recipients (flow_id, recipient_id) values (@flow, @recipient)",
                transaction, cancellationToken, ("flow", flowId), ("recipient", recipient));
        }

        var flow = new FlowRecord(
            flowId, submission.FlowTypeId, submission.SenderId, [.. submission.Recipients.Order(StringComparer.Ordinal)],
            submission.Payload.Sha256Hex, submission.Payload.Size, submission.MediaType, submission.IdempotencyKey,
            submission.CorrelationId, FlowStatus.Accepted, acceptedAt, acceptedAt, submission.Signature);
        await _auditLog.AppendAsync(
            connection, transaction, AuditEvent.FlowAccepted, submission.SenderId, flowId,
            new { flowType = flow.FlowTypeId, recipients = flow.Recipients, payloadSha256 = flow.PayloadSha256, payloadSize = flow.PayloadSize, mediaType = flow.MediaType },
            cancellationToken);
        var deposit = await _receiptIssuer.IssueAsync(
            connection, transaction, new ReceiptRequest(ReceiptKind.Deposit, flow, RecipientId: null, acceptedAt), cancellationToken);
        await _outbox.AddFlowAcceptedAsync(connection, transaction, new FlowAccepted(flowId), cancellationToken);

        await transaction.CommitAsync(cancellationToken);
        Faults.CrashPoints.Hit(Faults.CrashPoints.AfterAcceptCommit);
        _outbox.NotifyCommitted();
        return new AcceptResult.Accepted(flow, [deposit], Replayed: false);
    }

    public async Task<FlowRecord?> FindAsync(Guid flowId, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        return await FindAsync(connection, null, flowId, cancellationToken);
    }

    internal static async Task<FlowRecord?> FindAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, Guid flowId, CancellationToken cancellationToken)
    {
        var rows = await connection.QueryAsync(
            $"select {FlowColumns} from flows f where f.id = @id", transaction, ReadFlow, cancellationToken, ("id", flowId));
        return rows.SingleOrDefault();
    }

    internal static FlowRecord ReadFlow(NpgsqlDataReader reader) =>
        new(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<string[]>(3), reader.GetString(4),
            reader.GetInt64(5), reader.GetString(6), reader.GetString(7), reader.GetNullableString(8), reader.GetString(9),
            reader.GetFieldValue<DateTimeOffset>(10), reader.GetFieldValue<DateTimeOffset>(11),
            reader.IsDBNull(12) ? null : JsonSerializer.Deserialize<SignatureEvidence>(reader.GetString(12), EvidenceJson));

    private async Task<AcceptResult> ReplayAsync(NewFlow submission, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync(
            $"select {FlowColumns} from flows f where f.sender_id = @sender and f.idempotency_key = @key",
            null, ReadFlow, cancellationToken, ("sender", submission.SenderId), ("key", submission.IdempotencyKey));
        var existing = rows.Single();
        var sameRequest =
            existing.PayloadSha256 == submission.Payload.Sha256Hex
            && existing.FlowTypeId == submission.FlowTypeId
            && string.Equals(existing.MediaType, submission.MediaType, StringComparison.OrdinalIgnoreCase)
            && existing.CorrelationId == submission.CorrelationId
            && existing.Recipients.SequenceEqual(submission.Recipients.Order(StringComparer.Ordinal), StringComparer.Ordinal);
        if (!sameRequest)
        {
            return new AcceptResult.IdempotencyConflict(existing.Id);
        }

        var receipts = await ReceiptRepository.ListAsync(connection, null, existing.Id, cancellationToken);
        return new AcceptResult.Accepted(existing, [.. receipts.Where(r => r.Kind == ReceiptKindNames.Deposit)], Replayed: true);
    }
}
