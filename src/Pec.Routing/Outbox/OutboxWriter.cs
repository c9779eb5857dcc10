using System.Diagnostics;
using System.Text.Json;
using Npgsql;
using Pec.Routing.Delivery;
using Pec.Routing.Messages;
using Pec.Routing.Persistence;

namespace Pec.Routing.Outbox;

/// <summary>Adds outbox rows in the caller's transaction and wakes the relay once committed.</summary>
internal sealed class OutboxWriter(TimeProvider timeProvider, OutboxSignal signal)
{
    public const string FlowAcceptedType = "flow-accepted";
    public const string DeliveryDueType = "delivery-due";

    /// <param name="traceParent">Trace to continue; the current activity's when null.</param>
    public Task AddFlowAcceptedAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, FlowAccepted message, CancellationToken cancellationToken, string? traceParent = null) =>
        AddAsync(connection, transaction, FlowAcceptedType, message.FlowId, JsonSerializer.Serialize(message), traceParent, cancellationToken);

    /// <param name="traceParent">Trace to continue; the current activity's when null.</param>
    public Task AddDeliveryDueAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, DeliveryDue message, CancellationToken cancellationToken, string? traceParent = null) =>
        AddAsync(connection, transaction, DeliveryDueType, message.FlowId, JsonSerializer.Serialize(message), traceParent, cancellationToken);

    /// <summary>Tells the relay that rows were committed; call after the commit, never before.</summary>
    public void NotifyCommitted() => signal.Release();

    private Task<int> AddAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string type, Guid flowId, string body, string? traceParent, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(
            """
            insert into outbox (message_type, flow_id, body, trace_parent, created_at)
            values (@type, @flow, @body::jsonb, @trace, @at)
            """,
            transaction, cancellationToken,
            ("type", type), ("flow", flowId), ("body", body), ("trace", traceParent ?? Activity.Current?.Id), ("at", timeProvider.GetUtcNow()));
}
