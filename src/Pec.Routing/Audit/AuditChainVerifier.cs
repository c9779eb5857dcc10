using Npgsql;
using Pec.Routing.Persistence;

namespace Pec.Routing.Audit;

/// <summary>Result of walking the audit chain: how many entries were checked, and the first broken one if any.</summary>
public sealed record AuditChainReport(long EntriesChecked, long? FirstInvalidSequence, string? Problem, string HeadHashHex);

/// <summary>
/// Recomputes every hash of the audit log from its stored canonical text, in order, and checks
/// the links and the head row. Any edit, deletion or reordering of past entries breaks a link.
/// </summary>
public sealed class AuditChainVerifier
{
    private const int PageSize = 1000;
    private readonly NpgsqlDataSource _dataSource;

    internal AuditChainVerifier(NpgsqlDataSource dataSource)
    {
        _dataSource = dataSource;
    }

    public async Task<AuditChainReport> VerifyAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        // One snapshot for the whole walk, so appends running meanwhile do not confuse the check.
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        var expectedPrevious = new byte[32];
        long expectedSeq = 1;
        long checkedCount = 0;

        while (true)
        {
            var rows = await connection.QueryAsync(
                "select seq, canonical, prev_hash, hash from audit_log where seq >= @from order by seq limit @limit",
                transaction,
                r => (Seq: r.GetInt64(0), Canonical: r.GetString(1), Previous: r.GetFieldValue<byte[]>(2), Hash: r.GetFieldValue<byte[]>(3)),
                cancellationToken,
                ("from", expectedSeq), ("limit", PageSize));
            foreach (var row in rows)
            {
                var problem = row.Seq != expectedSeq ? $"entry {expectedSeq} is missing"
                    : !row.Previous.AsSpan().SequenceEqual(expectedPrevious) ? "prev_hash does not match the previous entry"
                    : !AuditLog.ComputeHash(row.Previous, row.Canonical).AsSpan().SequenceEqual(row.Hash) ? "hash does not match the entry"
                    : null;
                if (problem is not null)
                {
                    return new AuditChainReport(checkedCount, expectedSeq, problem, Convert.ToHexStringLower(expectedPrevious));
                }

                expectedPrevious = row.Hash;
                expectedSeq++;
                checkedCount++;
            }

            if (rows.Count < PageSize)
            {
                break;
            }
        }

        var head = (await connection.QueryAsync(
            "select seq, hash from audit_head", transaction, r => (Seq: r.GetInt64(0), Hash: r.GetFieldValue<byte[]>(1)), cancellationToken)).Single();
        if (head.Seq != checkedCount || !head.Hash.AsSpan().SequenceEqual(expectedPrevious))
        {
            return new AuditChainReport(checkedCount, head.Seq, "the head row does not match the last entry", Convert.ToHexStringLower(expectedPrevious));
        }

        return new AuditChainReport(checkedCount, null, null, Convert.ToHexStringLower(expectedPrevious));
    }
}
