using Npgsql;
using Pec.Routing.Persistence;

namespace Pec.Routing.Receipts;

/// <summary>Reads stored receipts.</summary>
public sealed class ReceiptRepository
{
    private readonly NpgsqlDataSource _dataSource;

    internal ReceiptRepository(NpgsqlDataSource dataSource)
    {
        _dataSource = dataSource;
    }

    public async Task<IReadOnlyList<ReceiptSummary>> ListAsync(Guid flowId, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        return await ListAsync(connection, null, flowId, cancellationToken);
    }

    /// <summary>Returns the signed XML of one receipt of a flow, or null when the flow has no such receipt.</summary>
    public async Task<byte[]?> GetDocumentAsync(Guid flowId, Guid receiptId, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ScalarAsync<byte[]>(
            "select document from receipts where flow_id = @flow and id = @id", null, cancellationToken, ("flow", flowId), ("id", receiptId));
    }

    internal static Task<List<ReceiptSummary>> ListAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, Guid flowId, CancellationToken cancellationToken) =>
        connection.QueryAsync(
            "select id, kind, recipient_id, issued_at from receipts where flow_id = @flow order by issued_at, id",
            transaction, ReadSummary, cancellationToken, ("flow", flowId));

    internal static ReceiptSummary ReadSummary(NpgsqlDataReader reader) =>
        new(reader.GetGuid(0), reader.GetString(1), reader.GetNullableString(2), reader.GetFieldValue<DateTimeOffset>(3));
}
