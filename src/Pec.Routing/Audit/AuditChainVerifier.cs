using Npgsql;
using Pec.Routing.Persistence;

namespace Pec.Routing.Audit;

/// <summary>Result of walking the audit chain: how many entries were checked, and the first broken one if any.</summary>
public sealed record AuditChainReport(long EntriesChecked, long? FirstInvalidSequence, AuditChainProblem? Problem, string HeadHashHex);

/// <summary>What broke the audit chain.</summary>
public enum AuditChainProblem
{
    /// <summary>A sequence number is missing: an entry was deleted.</summary>
    EntryMissing,

    /// <summary><c>prev_hash</c> is not the hash of the entry before: entries were reordered or replaced.</summary>
    LinkBroken,

    /// <summary>The hash does not match the canonical text: the text was edited.</summary>
    HashMismatch,

    /// <summary>The queryable columns (event, actor, flow, time, details) differ from the hashed canonical text.</summary>
    ColumnsAltered,

    /// <summary>The head row does not name the last entry: the newest entries were deleted.</summary>
    HeadMismatch,
}

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
                // The API reads event, actor, flow, time and details from their own columns, so each must
                // still say what the hashed canonical text says.
                """
                select seq, canonical, prev_hash, hash,
                       (c ->> 'seq')::bigint = seq
                       and c ->> 'event' = event
                       and (c ->> 'actor') is not distinct from actor_id
                       and (c ->> 'flow')::uuid is not distinct from flow_id
                       and (c ->> 'at')::timestamptz = at
                       and c -> 'details' = details
                from audit_log, lateral (select canonical::jsonb as c) parsed
                where seq >= @from order by seq limit @limit
                """,
                transaction,
                r => (Seq: r.GetInt64(0), Canonical: r.GetString(1), Previous: r.GetFieldValue<byte[]>(2), Hash: r.GetFieldValue<byte[]>(3), ColumnsMatch: !r.IsDBNull(4) && r.GetBoolean(4)),
                cancellationToken,
                ("from", expectedSeq), ("limit", PageSize));
            foreach (var row in rows)
            {
                AuditChainProblem? problem = row.Seq != expectedSeq ? AuditChainProblem.EntryMissing
                    : !row.Previous.AsSpan().SequenceEqual(expectedPrevious) ? AuditChainProblem.LinkBroken
                    : !AuditLog.ComputeHash(row.Previous, row.Canonical).AsSpan().SequenceEqual(row.Hash) ? AuditChainProblem.HashMismatch
                    : !row.ColumnsMatch ? AuditChainProblem.ColumnsAltered
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
            return new AuditChainReport(checkedCount, head.Seq, AuditChainProblem.HeadMismatch, Convert.ToHexStringLower(expectedPrevious));
        }

        return new AuditChainReport(checkedCount, null, null, Convert.ToHexStringLower(expectedPrevious));
    }
}
