using Npgsql;
using Pec.Routing.Audit;
using Pec.Routing.Flows;
using Pec.Routing.Mailbox;
using Pec.Routing.Persistence;
using Pec.Routing.Receipts;
using Pec.Signing.Receipts;

namespace Pec.Routing.Delivery;

/// <summary>
/// Ends a delivery without success, in the caller's transaction: the delivery fails, a dead letter
/// keeps the reason for operators, the sender gets a non-delivery receipt, and the audit log says so.
/// The caller holds the flow lock (<see cref="MailboxRepository.LockFlowAsync"/>).
/// </summary>
internal sealed class DeliveryFailure(ReceiptIssuer receiptIssuer, AuditLog auditLog, TimeProvider timeProvider)
{
    private const int MaxDetailLength = 1000;

    public async Task FailAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, FlowRecord flow, string recipientId, string reason, string detail, CancellationToken cancellationToken)
    {
        var now = timeProvider.Now();
        detail = detail.Length <= MaxDetailLength ? detail : detail[..MaxDetailLength];
        var attempts = await connection.ScalarAsync<int>(
            """
            update deliveries set status = 'failed', failed_at = @at, failure_reason = @reason, dispatch_id = null, claimed_at = null, next_attempt_at = null
            where flow_id = @flow and recipient_id = @recipient
            returning attempts
            """,
            transaction, cancellationToken, ("at", now), ("reason", reason), ("flow", flow.Id), ("recipient", recipientId));
        await connection.ExecuteAsync(
            """
            insert into dead_letters (id, flow_id, recipient_id, reason, detail, attempts, created_at, status)
            values (@id, @flow, @recipient, @reason, @detail, @attempts, @at, 'open')
            """,
            transaction, cancellationToken,
            ("id", Guid.CreateVersion7(now)), ("flow", flow.Id), ("recipient", recipientId), ("reason", reason),
            ("detail", detail), ("attempts", attempts), ("at", now));
        await MailboxRepository.RefreshFlowStatusAsync(connection, transaction, flow.Id, now, cancellationToken);
        await auditLog.AppendAsync(
            connection, transaction, AuditEvent.DeliveryFailed, actorId: null, flow.Id,
            new { recipient = recipientId, reason, detail, attempts }, cancellationToken);
        await receiptIssuer.IssueAsync(
            connection, transaction, new ReceiptRequest(ReceiptKind.NonDelivery, flow, recipientId, now, Reason: $"{reason}: {detail}"), cancellationToken);
        await DeliveryStore.WakeSuccessorsAsync(connection, transaction, flow, recipientId, now, cancellationToken);
        PecMetrics.DeliveriesFailed.Add(1, new KeyValuePair<string, object?>("reason", reason));
    }

    /// <summary>
    /// The reason for a delivery that reached its expiry: unreachable when every attempt since the
    /// last replay got no HTTP answer in time, expired otherwise (temporary HTTP failures, or never
    /// fetched from the mailbox).
    /// </summary>
    public static async Task<string> ExpiryReasonAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid flowId, string recipientId, CancellationToken cancellationToken)
    {
        var unreachable = await connection.ScalarAsync<bool?>(
            """
            select bool_and(a.outcome in ('unreachable', 'circuit-open')) and bool_or(a.outcome = 'unreachable')
            from delivery_attempts a
            where a.flow_id = @flow and a.recipient_id = @recipient
              and a.started_at >= coalesce((select max(l.resolved_at) from dead_letters l
                                            where l.flow_id = @flow and l.recipient_id = @recipient and l.status = 'replayed'), '-infinity')
            """,
            transaction, cancellationToken, ("flow", flowId), ("recipient", recipientId));
        return unreachable == true ? DeadLetterReason.Unreachable : DeadLetterReason.Expired;
    }
}
