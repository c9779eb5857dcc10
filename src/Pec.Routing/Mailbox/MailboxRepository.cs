using Npgsql;
using Pec.Routing.Audit;
using Pec.Routing.Delivery;
using Pec.Routing.Flows;
using Pec.Routing.Persistence;
using Pec.Routing.Receipts;
using Pec.Signing.Receipts;

namespace Pec.Routing.Mailbox;

/// <summary>The pull channel: lists a recipient's deliveries and records fetches and acknowledgements.</summary>
public sealed class MailboxRepository
{
    private const string ItemColumns = "d.recipient_id, d.channel, d.status, d.routed_at, d.delivered_at, d.acknowledged_at";

    private readonly NpgsqlDataSource _dataSource;
    private readonly ReceiptIssuer _receiptIssuer;
    private readonly AuditLog _auditLog;
    private readonly TimeProvider _timeProvider;
    private readonly DeliveryFailure _failure;

    internal MailboxRepository(NpgsqlDataSource dataSource, ReceiptIssuer receiptIssuer, AuditLog auditLog, TimeProvider timeProvider, DeliveryFailure failure)
    {
        _failure = failure;
        _dataSource = dataSource;
        _receiptIssuer = receiptIssuer;
        _auditLog = auditLog;
        _timeProvider = timeProvider;
    }

    /// <summary>Lists deliveries not yet acknowledged, in acceptance order, after the cursor.</summary>
    public async Task<IReadOnlyList<MailboxItem>> ListAsync(string recipientId, Guid? after, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QueryAsync(
            $"""
            select {FlowRepository.FlowColumns}, {ItemColumns}
            from deliveries d join flows f on f.id = d.flow_id
            where d.recipient_id = @recipient and d.channel = 'mailbox' and d.status in ('available', 'delivered')
              and (@after::uuid is null or d.flow_id > @after)
            order by d.flow_id
            limit @limit
            """,
            null, ReadItem, cancellationToken,
            ("recipient", recipientId), ("after", after), ("limit", limit));
    }

    /// <summary>Non-delivery notices of flows <paramref name="senderId"/> sent, oldest first, after the cursor (a receipt id).</summary>
    public async Task<IReadOnlyList<NonDeliveryNotice>> ListNoticesAsync(string senderId, Guid? after, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QueryAsync(
            """
            select r.id, f.id, f.flow_type_id, r.recipient_id, d.failure_reason, r.issued_at, d.status
            from receipts r
            join flows f on f.id = r.flow_id
            join deliveries d on d.flow_id = r.flow_id and d.recipient_id = r.recipient_id
            where r.kind = 'non-delivery' and f.sender_id = @sender and (@after::uuid is null or r.id > @after)
            order by r.id
            limit @limit
            """,
            null,
            r => new NonDeliveryNotice(r.GetGuid(0), r.GetGuid(1), r.GetString(2), r.GetString(3), r.GetNullableString(4), r.GetFieldValue<DateTimeOffset>(5), r.GetString(6)),
            cancellationToken,
            ("sender", senderId), ("after", after), ("limit", limit));
    }

    /// <summary>
    /// The flow as a mailbox item of the recipient, or null: push deliveries are not in the mailbox,
    /// and an expired delivery is not served any more, since its non-delivery receipt says so.
    /// </summary>
    public async Task<MailboxItem?> FindAsync(string recipientId, Guid flowId, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        var item = await FindAsync(connection, null, recipientId, flowId, lockRow: false, cancellationToken);
        return item is { Delivery.Channel: IDeliveryChannel.Mailbox } && item.Delivery.Status != FlowStatus.Failed ? item : null;
    }

    /// <summary>
    /// Records that the recipient fetched the whole payload: the first time, the delivery becomes
    /// delivered and a delivery receipt is issued; later fetches change nothing.
    /// </summary>
    public async Task MarkDeliveredAsync(string recipientId, Guid flowId, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await LockFlowAsync(connection, transaction, flowId, cancellationToken);
        var item = await FindAsync(connection, transaction, recipientId, flowId, lockRow: true, cancellationToken);
        if (item is null || item.Delivery.Status != FlowStatus.Available)
        {
            return;
        }

        var now = _timeProvider.Now();
        await connection.ExecuteAsync(
            "update deliveries set status = 'delivered', delivered_at = @at where flow_id = @flow and recipient_id = @recipient",
            transaction, cancellationToken, ("at", now), ("flow", flowId), ("recipient", recipientId));
        await RefreshFlowStatusAsync(connection, transaction, flowId, now, cancellationToken);
        await _auditLog.AppendAsync(connection, transaction, AuditEvent.FlowDelivered, recipientId, flowId, new { recipient = recipientId, channel = item.Delivery.Channel }, cancellationToken);
        await _receiptIssuer.IssueAsync(connection, transaction, new ReceiptRequest(ReceiptKind.Delivery, item.Flow, recipientId, now), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        PecMetrics.Deliveries.Add(1);
        PecMetrics.DeliveryLatency.Record((now - item.Flow.AcceptedAt).TotalSeconds);
    }

    /// <summary>
    /// Ends a mailbox delivery whose stored payload no longer matches its digest: it cannot be
    /// served, so the sender gets a non-delivery receipt now rather than at expiry.
    /// </summary>
    public async Task FailCorruptAsync(string recipientId, Guid flowId, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await LockFlowAsync(connection, transaction, flowId, cancellationToken);
        var item = await FindAsync(connection, transaction, recipientId, flowId, lockRow: true, cancellationToken);
        if (item is null || item.Delivery.Status != FlowStatus.Available)
        {
            return;
        }

        await _failure.FailAsync(
            connection, transaction, item.Flow, recipientId, DeadLetterReason.PayloadCorrupt,
            $"payload {item.Flow.PayloadSha256} missing from the store or not matching its digest at fetch", cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Records the recipient's acknowledgement, with the description of its reply document if it sent one.</summary>
    public async Task<AcknowledgeResult> AcknowledgeAsync(string recipientId, Guid flowId, PayloadDescription? reply, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await LockFlowAsync(connection, transaction, flowId, cancellationToken);
        var item = await FindAsync(connection, transaction, recipientId, flowId, lockRow: true, cancellationToken);
        switch (item?.Delivery.Status)
        {
            case null:
                return new AcknowledgeResult.NotFound();
            case FlowStatus.Available or FlowStatus.Pending or FlowStatus.Failed:
                return new AcknowledgeResult.NotDelivered();
            case FlowStatus.Acknowledged:
                return await RepeatAcknowledgementAsync(connection, transaction, recipientId, flowId, reply, cancellationToken);
        }

        var now = _timeProvider.Now();
        await connection.ExecuteAsync(
            """
            update deliveries set status = 'acknowledged', acknowledged_at = @at,
                reply_sha256 = @replySha, reply_size = @replySize, reply_media_type = @replyMedia
            where flow_id = @flow and recipient_id = @recipient
            """,
            transaction, cancellationToken,
            ("at", now), ("replySha", reply?.Sha256Hex), ("replySize", reply?.Size), ("replyMedia", reply?.MediaType),
            ("flow", flowId), ("recipient", recipientId));
        await RefreshFlowStatusAsync(connection, transaction, flowId, now, cancellationToken);
        await _auditLog.AppendAsync(
            connection, transaction, AuditEvent.FlowAcknowledged, recipientId, flowId,
            new { recipient = recipientId, replySha256 = reply?.Sha256Hex, replySize = reply?.Size }, cancellationToken);
        var receipt = await _receiptIssuer.IssueAsync(
            connection, transaction, new ReceiptRequest(ReceiptKind.Acknowledgement, item.Flow, recipientId, now, Reply: reply), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        PecMetrics.Acknowledgements.Add(1);
        return new AcknowledgeResult.Acknowledged(receipt);
    }

    private static async Task<AcknowledgeResult> RepeatAcknowledgementAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string recipientId, Guid flowId, PayloadDescription? reply, CancellationToken cancellationToken)
    {
        var previousReply = (await connection.QueryAsync(
            "select reply_sha256 from deliveries where flow_id = @flow and recipient_id = @recipient",
            transaction, r => r.GetNullableString(0), cancellationToken, ("flow", flowId), ("recipient", recipientId))).Single();
        if (previousReply != reply?.Sha256Hex)
        {
            return new AcknowledgeResult.Conflict();
        }

        var receipts = await ReceiptRepository.ListAsync(connection, transaction, flowId, cancellationToken);
        return new AcknowledgeResult.Acknowledged(receipts.Single(r => r.Kind == ReceiptKindNames.Acknowledgement && r.RecipientId == recipientId));
    }

    /// <summary>
    /// Locks the flow row for the rest of the transaction. Every change to a flow's deliveries takes
    /// this lock first: the aggregate status reads all deliveries, and two recipients committing at
    /// once would otherwise each miss the other's change and leave the flow at the older status.
    /// </summary>
    internal static Task<int> LockFlowAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid flowId, CancellationToken cancellationToken) =>
        connection.ExecuteAsync("select 1 from flows where id = @flow for update", transaction, cancellationToken, ("flow", flowId));

    /// <summary>Sets the flow's status from its deliveries; the caller holds the lock of <see cref="LockFlowAsync"/>.</summary>
    internal static Task RefreshFlowStatusAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid flowId, DateTimeOffset now, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(
            """
            update flows f set status = s.status, updated_at = @at
            from (select case when bool_and(status = 'acknowledged') then 'acknowledged'
                              when bool_and(status in ('delivered', 'acknowledged')) then 'delivered'
                              when bool_and(status in ('delivered', 'acknowledged', 'failed')) then 'failed'
                              else 'routed' end as status
                  from deliveries where flow_id = @flow) s
            where f.id = @flow and f.status <> s.status
            """,
            transaction, cancellationToken, ("at", now), ("flow", flowId));

    private static async Task<MailboxItem?> FindAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string recipientId, Guid flowId, bool lockRow, CancellationToken cancellationToken)
    {
        var rows = await connection.QueryAsync(
            $"""
            select {FlowRepository.FlowColumns}, {ItemColumns}
            from deliveries d join flows f on f.id = d.flow_id
            where d.recipient_id = @recipient and d.flow_id = @flow
            {(lockRow ? "for update of d" : "")}
            """,
            transaction, ReadItem, cancellationToken, ("recipient", recipientId), ("flow", flowId));
        return rows.SingleOrDefault();
    }

    private static MailboxItem ReadItem(NpgsqlDataReader reader) =>
        new(FlowRepository.ReadFlow(reader),
            ReadDelivery(reader, FlowRepository.FlowColumnCount));

    private static DeliveryRecord ReadDelivery(NpgsqlDataReader reader, int first) =>
        new(reader.GetString(first), reader.GetString(first + 1), reader.GetString(first + 2),
            reader.GetFieldValue<DateTimeOffset>(first + 3), reader.GetNullableTime(first + 4), reader.GetNullableTime(first + 5));
}
