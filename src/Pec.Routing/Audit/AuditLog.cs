using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Npgsql;
using Pec.Routing.Persistence;

namespace Pec.Routing.Audit;

/// <summary>
/// Appends entries to the hash-chained audit log inside the caller's transaction, so an entry
/// exists exactly when the state change it records was committed.
/// </summary>
public sealed class AuditLog
{
    private readonly TimeProvider _timeProvider;

    internal AuditLog(TimeProvider timeProvider)
    {
        _timeProvider = timeProvider;
    }

    /// <summary>
    /// Appends one entry. Takes the lock on the chain head, which serializes appenders until the
    /// caller's transaction ends; callers append last, just before they commit.
    /// </summary>
    public async Task AppendAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string auditEvent, string? actorId, Guid? flowId, object details, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var head = await connection.QueryAsync(
            "select seq, hash from audit_head for update", transaction, r => (Seq: r.GetInt64(0), Hash: r.GetFieldValue<byte[]>(1)), cancellationToken);
        var (previousSeq, previousHash) = head.Single();
        var seq = previousSeq + 1;
        var at = _timeProvider.Now();
        var detailsJson = JsonSerializer.Serialize(details, AuditJson.Options);
        var canonical = Canonicalize(seq, at, auditEvent, actorId, flowId, detailsJson);
        var hash = ComputeHash(previousHash, canonical);

        await connection.ExecuteAsync(
            """
            insert into audit_log (seq, at, event, actor_id, flow_id, details, canonical, prev_hash, hash)
            values (@seq, @at, @event, @actor, @flow, @details::jsonb, @canonical, @prev, @hash)
            """,
            transaction, cancellationToken,
            ("seq", seq), ("at", at), ("event", auditEvent), ("actor", actorId), ("flow", flowId), ("details", detailsJson),
            ("canonical", canonical), ("prev", previousHash), ("hash", hash));
        await connection.ExecuteAsync(
            "update audit_head set seq = @seq, hash = @hash", transaction, cancellationToken, ("seq", seq), ("hash", hash));
    }

    internal static string Canonicalize(long seq, DateTimeOffset at, string auditEvent, string? actorId, Guid? flowId, string detailsJson) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $$"""{"seq":{{seq}},"at":{{JsonSerializer.Serialize(at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture))}},"event":{{JsonSerializer.Serialize(auditEvent)}},"actor":{{JsonSerializer.Serialize(actorId)}},"flow":{{JsonSerializer.Serialize(flowId)}},"details":{{detailsJson}}}""");

    internal static byte[] ComputeHash(byte[] previousHash, string canonical)
    {
        var body = Encoding.UTF8.GetBytes(canonical);
        var input = new byte[previousHash.Length + body.Length];
        previousHash.CopyTo(input, 0);
        body.CopyTo(input, previousHash.Length);
        return SHA256.HashData(input);
    }
}
