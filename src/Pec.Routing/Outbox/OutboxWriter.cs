using System.Diagnostics;
using System.Text.Json;
using Npgsql;
using Pec.Routing.Messages;
using Pec.Routing.Persistence;

namespace Pec.Routing.Outbox;

/// <summary>Adds outbox rows in the caller's transaction and wakes the relay once committed.</summary>
internal sealed class OutboxWriter(TimeProvider timeProvider, OutboxSignal signal)
{
    public const string FlowAcceptedType = "flow-accepted";

    public Task AddFlowAcceptedAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, FlowAccepted message, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(
            """
            insert into outbox (message_type, flow_id, body, trace_parent, created_at)
            values (@type, @flow, @body::jsonb, @trace, @at)
            """,
            transaction, cancellationToken,
            ("type", FlowAcceptedType), ("flow", message.FlowId), ("body", JsonSerializer.Serialize(message)),
            ("trace", Activity.Current?.Id), ("at", timeProvider.GetUtcNow()));

    /// <summary>Tells the relay that rows were committed; call after the commit, never before.</summary>
    public void NotifyCommitted() => signal.Release();
}
