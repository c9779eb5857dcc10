using Npgsql;

namespace Pec.Routing.Audit;

/// <summary>Records a rejected submission in the audit log: the only trace a rejection leaves.</summary>
public sealed class RejectionRecorder
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly AuditLog _auditLog;

    internal RejectionRecorder(NpgsqlDataSource dataSource, AuditLog auditLog)
    {
        _dataSource = dataSource;
        _auditLog = auditLog;
    }

    public async Task RecordAsync(string senderId, string problemType, string? flowTypeId, string? recipients, string? idempotencyKey, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await _auditLog.AppendAsync(
            connection, transaction, AuditEvent.FlowRejected, senderId, flowId: null,
            new { problemType, flowType = flowTypeId, recipients, idempotencyKey }, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }
}
