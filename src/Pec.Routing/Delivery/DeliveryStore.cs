using Npgsql;
using Pec.Routing.Flows;
using Pec.Routing.Persistence;

namespace Pec.Routing.Delivery;

/// <summary>Reads and dispatches push deliveries in PostgreSQL, the system of record for their state.</summary>
internal sealed class DeliveryStore(NpgsqlDataSource dataSource)
{
    // Earlier flows of the same sender and correlation id to the same recipient that are not yet
    // delivered or failed. UUID v7 ids follow acceptance order, and a flow not routed yet counts.
    private const string PendingPredecessorSql =
        """
        select 1 from flows f
        join flow_recipients r on r.flow_id = f.id and r.recipient_id = @recipient
        left join deliveries d on d.flow_id = f.id and d.recipient_id = @recipient
        where f.sender_id = @sender and f.correlation_id = @correlation and f.id < @flow
          and (d.status is null or d.status in ('available', 'pending'))
        """;

    /// <summary>
    /// Claims the dispatch and returns the delivery, if it is still pending, <paramref name="message"/>
    /// is its current dispatch, and no other copy of the message claimed it; otherwise null. A retry
    /// of the same message in this process (<paramref name="retrying"/>) may claim it again.
    /// </summary>
    public async Task<DeliveryTarget?> ClaimAsync(DeliveryDue message, bool retrying, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync(
            $"""
            with claimed as (
                update deliveries set claimed_at = clock_timestamp()
                where flow_id = @flow and recipient_id = @recipient and status = 'pending' and dispatch_id = @dispatch
                  and (claimed_at is null or @retrying)
                returning flow_id, recipient_id, attempts, expires_at, channel)
            select {FlowRepository.FlowColumns}, t.ordered, a.delivery_url, a.delivery_ca_file, c.attempts, c.expires_at, c.channel
            from claimed c
            join flows f on f.id = c.flow_id
            join flow_types t on t.id = f.flow_type_id
            join administrations a on a.id = c.recipient_id
            """,
            null,
            r => (Flow: FlowRepository.ReadFlow(r), Ordered: r.GetBoolean(FlowRepository.FlowColumnCount),
                  Url: r.GetNullableString(FlowRepository.FlowColumnCount + 1), Ca: r.GetNullableString(FlowRepository.FlowColumnCount + 2),
                  Attempts: r.GetInt32(FlowRepository.FlowColumnCount + 3), ExpiresAt: r.GetFieldValue<DateTimeOffset>(FlowRepository.FlowColumnCount + 4),
                  Channel: r.GetString(FlowRepository.FlowColumnCount + 5)),
            cancellationToken,
            ("retrying", retrying), ("flow", message.FlowId), ("recipient", message.RecipientId), ("dispatch", message.DispatchId));
        if (rows.Count == 0)
        {
            return null;
        }

        var row = rows[0];
        // The registry may have moved the recipient to another channel since routing. The
        // delivery keeps its channel, so a missing endpoint fails its attempts as unreachable.
        var url = Uri.TryCreate(row.Url, UriKind.Absolute, out var parsed) ? parsed : new Uri("https://invalid.invalid/");
        return new DeliveryTarget(row.Flow, row.Ordered, message.RecipientId, row.Channel, url, row.Ca ?? "", row.Attempts, row.ExpiresAt);
    }

    /// <summary>
    /// Returns whether an earlier flow of the same sender and correlation id to the same recipient
    /// is not yet delivered or failed. A flow not routed yet counts, because UUID v7 ids follow acceptance order.
    /// </summary>
    public async Task<bool> HasPendingPredecessorAsync(DeliveryTarget target, CancellationToken cancellationToken)
    {
        if (target.Flow.CorrelationId is null)
        {
            return false;
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ScalarAsync<bool>(
            $"select exists ({PendingPredecessorSql})",
            null, cancellationToken,
            ("recipient", target.RecipientId), ("sender", target.Flow.SenderId), ("correlation", target.Flow.CorrelationId), ("flow", target.Flow.Id));
    }

    /// <summary>Puts the delivery back to wait until <paramref name="until"/> without counting an attempt.</summary>
    public async Task DeferAsync(DeliveryDue message, DateTimeOffset until, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(
            """
            update deliveries set dispatch_id = null, claimed_at = null, next_attempt_at = @until
            where flow_id = @flow and recipient_id = @recipient and status = 'pending' and dispatch_id = @dispatch
            """,
            null, cancellationToken,
            ("until", until), ("flow", message.FlowId), ("recipient", message.RecipientId), ("dispatch", message.DispatchId));
    }

    /// <summary>
    /// Puts an ordered delivery back to wait for its predecessor, unless the predecessor woke it
    /// after its claim (<c>woken_at</c>). The wake-up writes that mark on the row, so either the mark
    /// is visible here, or the wake-up comes after this statement and finds the delivery waiting.
    /// Both times come from PostgreSQL's clock, so routing processes on other hosts compare them safely.
    /// </summary>
    public async Task DeferBehindPredecessorAsync(DeliveryDue message, DateTimeOffset now, TimeSpan recheck, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(
            """
            update deliveries set dispatch_id = null, claimed_at = null,
                next_attempt_at = case when woken_at >= claimed_at then @now else @until end
            where flow_id = @flow and recipient_id = @recipient and status = 'pending' and dispatch_id = @dispatch
            """,
            null, cancellationToken,
            ("until", now + recheck), ("now", now), ("flow", message.FlowId), ("recipient", message.RecipientId), ("dispatch", message.DispatchId));
    }

    /// <summary>Gives the delivery a new dispatch id and a lease, in the caller's transaction; returns the message to send.</summary>
    public static async Task<DeliveryDue> DispatchAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid flowId, string recipientId, DateTimeOffset leaseEnd, CancellationToken cancellationToken)
    {
        var dispatchId = Guid.NewGuid();
        await connection.ExecuteAsync(
            "update deliveries set dispatch_id = @dispatch, claimed_at = null, next_attempt_at = @lease where flow_id = @flow and recipient_id = @recipient",
            transaction, cancellationToken, ("dispatch", dispatchId), ("lease", leaseEnd), ("flow", flowId), ("recipient", recipientId));
        return new DeliveryDue(flowId, recipientId, dispatchId);
    }

    /// <summary>
    /// Makes pending deliveries that wait behind <paramref name="flow"/> due now, so ordering costs no
    /// extra wait. One in flight keeps its lease but is marked woken, for <see cref="DeferBehindPredecessorAsync"/>.
    /// </summary>
    public static Task WakeSuccessorsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, FlowRecord flow, string recipientId, DateTimeOffset now, CancellationToken cancellationToken) =>
        flow.CorrelationId is null
            ? Task.CompletedTask
            : connection.ExecuteAsync(
                """
                update deliveries d set woken_at = clock_timestamp(),
                    next_attempt_at = case when d.dispatch_id is null then @now else d.next_attempt_at end
                from flows f
                where f.id = d.flow_id and f.sender_id = @sender and f.correlation_id = @correlation and f.id > @flow
                  and d.recipient_id = @recipient and d.status = 'pending'
                """,
                transaction, cancellationToken,
                ("now", now), ("sender", flow.SenderId), ("correlation", flow.CorrelationId), ("flow", flow.Id), ("recipient", recipientId));
}
