using Npgsql;
using Pec.Routing.Audit;
using Pec.Routing.Flows;
using Pec.Routing.Persistence;
using Pec.Signing.Receipts;

namespace Pec.Routing.Receipts;

/// <summary>
/// Builds, seals and stores receipts inside the caller's transaction, so a receipt exists exactly
/// when the state change it proves was committed. At most one receipt of each kind exists per
/// flow and recipient; issuing again returns the existing one.
/// </summary>
public sealed class ReceiptIssuer
{
    private readonly ReceiptSigner _signer;
    private readonly AuditLog _auditLog;
    private readonly TimeProvider _timeProvider;

    internal ReceiptIssuer(ReceiptSigner signer, AuditLog auditLog, TimeProvider timeProvider)
    {
        _signer = signer;
        _auditLog = auditLog;
        _timeProvider = timeProvider;
    }

    internal async Task<ReceiptSummary> IssueAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, ReceiptRequest request, CancellationToken cancellationToken)
    {
        var kind = request.Kind.ToWireName();
        var existing = await FindAsync(connection, transaction, request.Flow.Id, kind, request.RecipientId, cancellationToken);
        if (existing is not null)
        {
            return existing;
        }

        var issuedAt = _timeProvider.Now();
        var receiptId = Guid.CreateVersion7(issuedAt);
        var flow = request.Flow;
        var document = new ReceiptDocument(
            receiptId,
            request.Kind,
            flow.Id,
            flow.FlowTypeId,
            flow.SenderId,
            request.RecipientId is null ? flow.Recipients : [request.RecipientId],
            new PayloadDescription(flow.PayloadSha256, flow.PayloadSize, flow.MediaType),
            request.EventTime,
            issuedAt,
            request.Reason,
            request.Reply,
            flow.Signature is { } evidence
                ? new PayloadSignature(evidence.LevelMet, evidence.SignerSubject, evidence.SignerIssuer, evidence.SignerSerialNumber, evidence.SignerSha256, evidence.SignatureMethod, evidence.SigningTime)
                : null);
        var signed = _signer.Sign(document);

        await connection.ExecuteAsync(
            """
            insert into receipts (id, flow_id, kind, recipient_id, issued_at, document)
            values (@id, @flow, @kind, @recipient, @at, @document)
            """,
            transaction, cancellationToken,
            ("id", receiptId), ("flow", flow.Id), ("kind", kind), ("recipient", request.RecipientId), ("at", issuedAt), ("document", signed));
        await _auditLog.AppendAsync(
            connection, transaction, AuditEvent.ReceiptIssued, actorId: null, flow.Id,
            new { receiptId, kind, recipient = request.RecipientId }, cancellationToken);
        return new ReceiptSummary(receiptId, kind, request.RecipientId, issuedAt);
    }

    private static async Task<ReceiptSummary?> FindAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid flowId, string kind, string? recipientId, CancellationToken cancellationToken)
    {
        var rows = await connection.QueryAsync(
            """
            select id, kind, recipient_id, issued_at from receipts
            where flow_id = @flow and kind = @kind and recipient_id is not distinct from @recipient
            """,
            transaction,
            ReceiptRepository.ReadSummary,
            cancellationToken,
            ("flow", flowId), ("kind", kind), ("recipient", (object?)recipientId ?? DBNull.Value));
        return rows.SingleOrDefault();
    }
}

/// <summary>What a receipt is about: the flow, the recipient it concerns (none for a deposit) and the event time.</summary>
internal sealed record ReceiptRequest(
    ReceiptKind Kind,
    FlowRecord Flow,
    string? RecipientId,
    DateTimeOffset EventTime,
    string? Reason = null,
    PayloadDescription? Reply = null);
