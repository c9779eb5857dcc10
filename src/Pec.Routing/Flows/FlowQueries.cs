using Npgsql;
using Pec.Routing.Persistence;

namespace Pec.Routing.Flows;

/// <summary>Read-side queries on flows: access checks, deliveries, timeline and auditor search.</summary>
public sealed class FlowQueries
{
    private readonly NpgsqlDataSource _dataSource;

    internal FlowQueries(NpgsqlDataSource dataSource)
    {
        _dataSource = dataSource;
    }

    /// <summary>Tells whether an administration sent or receives the flow.</summary>
    public async Task<bool> IsPartyAsync(Guid flowId, string administrationId, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        var found = await connection.ScalarAsync<bool>(
            """
            select exists (select 1 from flows where id = @flow and sender_id = @admin)
                or exists (select 1 from flow_recipients where flow_id = @flow and recipient_id = @admin)
            """,
            null, cancellationToken, ("flow", flowId), ("admin", administrationId));
        return found;
    }

    /// <summary>The reply document a recipient gave with its acknowledgement, or null when it gave none.</summary>
    public async Task<Pec.Signing.Receipts.PayloadDescription?> FindReplyAsync(Guid flowId, string recipientId, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync(
            """
            select reply_sha256, reply_size, reply_media_type from deliveries
            where flow_id = @flow and recipient_id = @recipient and reply_sha256 is not null
            """,
            null,
            r => new Pec.Signing.Receipts.PayloadDescription(r.GetString(0), r.GetInt64(1), r.GetString(2)),
            cancellationToken, ("flow", flowId), ("recipient", recipientId));
        return rows.SingleOrDefault();
    }

    public async Task<IReadOnlyList<DeliveryRecord>> ListDeliveriesAsync(Guid flowId, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QueryAsync(
            """
            select recipient_id, channel, status, routed_at, delivered_at, acknowledged_at, attempts, expires_at, failed_at, failure_reason
            from deliveries where flow_id = @flow order by recipient_id
            """,
            null,
            r => new DeliveryRecord(
                r.GetString(0), r.GetString(1), r.GetString(2), r.GetFieldValue<DateTimeOffset>(3), r.GetNullableTime(4), r.GetNullableTime(5),
                r.GetInt32(6), r.GetNullableTime(7), r.GetNullableTime(8), r.GetNullableString(9)),
            cancellationToken,
            ("flow", flowId));
    }

    public async Task<IReadOnlyList<TimelineEntry>> ListTimelineAsync(Guid flowId, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QueryAsync(
            "select seq, at, event, actor_id from audit_log where flow_id = @flow order by seq",
            null,
            r => new TimelineEntry(r.GetInt64(0), r.GetFieldValue<DateTimeOffset>(1), r.GetString(2), r.GetNullableString(3)),
            cancellationToken,
            ("flow", flowId));
    }

    public async Task<IReadOnlyList<FlowRecord>> SearchAsync(FlowSearch search, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(search);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QueryAsync(
            $"""
            select {FlowRepository.FlowColumns} from flows f
            where (@sender::text is null or f.sender_id = @sender)
              and (@recipient::text is null or exists (select 1 from flow_recipients r where r.flow_id = f.id and r.recipient_id = @recipient))
              and (@type::text is null or f.flow_type_id = @type)
              and (@status::text is null or f.status = @status)
              and (@from::timestamptz is null or f.accepted_at >= @from)
              and (@to::timestamptz is null or f.accepted_at < @to)
              and (@after::uuid is null or f.id > @after)
            order by f.id
            limit @limit
            """,
            null,
            FlowRepository.ReadFlow,
            cancellationToken,
            ("sender", search.SenderId), ("recipient", search.RecipientId), ("type", search.FlowTypeId), ("status", search.Status),
            ("from", search.AcceptedFrom), ("to", search.AcceptedTo), ("after", search.After), ("limit", search.Limit));
    }
}
