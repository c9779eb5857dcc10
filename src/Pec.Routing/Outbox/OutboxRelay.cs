using System.Diagnostics;
using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Pec.Routing.Delivery;
using Pec.Routing.Messages;
using Pec.Routing.Persistence;
using Pec.Routing.Routing;

namespace Pec.Routing.Outbox;

/// <summary>
/// Publishes committed outbox rows to RabbitMQ and marks them sent. A row is marked only after the
/// broker confirmed it, so a crash in between publishes it again; the consumers are idempotent.
/// Rows are locked with <c>SKIP LOCKED</c>, so several relays can run side by side.
/// </summary>
internal sealed class OutboxRelay(
    NpgsqlDataSource dataSource,
    IBus bus,
    OutboxSignal signal,
    IOptions<RoutingOptions> options,
    TimeProvider timeProvider,
    ILogger<OutboxRelay> logger) : BackgroundService
{
    private static readonly ActivitySource ActivitySource = new("Pec.Routing.Outbox");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var relayed = await RelayBatchAsync(settings, stoppingToken);
                failures = 0;
                if (relayed < settings.OutboxBatchSize)
                {
                    await signal.WaitAsync(settings.OutboxPollInterval, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (exception is NpgsqlException or MassTransitException or TimeoutException or OperationCanceledException or InvalidOperationException)
            {
                failures++;
                var delay = TimeSpan.FromMilliseconds(Math.Min(30_000, 250 * Math.Pow(2, Math.Min(failures, 8))));
                Log.OutboxRelayFailed(logger, exception, failures, delay);
                await Task.Delay(delay, timeProvider, stoppingToken);
            }
        }
    }

    private async Task<int> RelayBatchAsync(RoutingOptions settings, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var rows = await connection.QueryAsync(
            """
            select id, message_type, body::text, trace_parent from outbox
            where sent_at is null order by id limit @limit for update skip locked
            """,
            transaction,
            r => new OutboxRow(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetNullableString(3)),
            cancellationToken,
            ("limit", settings.OutboxBatchSize));
        if (rows.Count == 0)
        {
            return 0;
        }

        var routingEndpoint = await bus.GetSendEndpoint(new Uri($"exchange:{settings.QueueName}"));
        var deliveryEndpoint = await bus.GetSendEndpoint(new Uri($"exchange:{settings.DeliveryQueueName}"));
        var sent = new List<long>();
        try
        {
            foreach (var row in rows)
            {
                var endpoint = row.MessageType == OutboxWriter.DeliveryDueType ? deliveryEndpoint : routingEndpoint;
                await SendAsync(endpoint, row, settings.PublishTimeout, cancellationToken);
                Faults.CrashPoints.Hit(Faults.CrashPoints.AfterPublishBeforeMark);
                sent.Add(row.Id);
            }
        }
        finally
        {
            // Whatever was confirmed is marked, even when a later row failed, so it is not sent twice needlessly.
            if (sent.Count > 0)
            {
                await connection.ExecuteAsync(
                    "update outbox set sent_at = @at where id = any(@ids)", transaction, CancellationToken.None,
                    ("at", timeProvider.GetUtcNow()), ("ids", sent.ToArray()));
                await transaction.CommitAsync(CancellationToken.None);
                Log.OutboxRelayed(logger, sent.Count);
            }
        }

        return rows.Count;
    }

    private static async Task SendAsync(ISendEndpoint endpoint, OutboxRow row, TimeSpan timeout, CancellationToken cancellationToken)
    {
        // Continue the trace of the request or step that committed the row.
        ActivityContext.TryParse(row.TraceParent, null, out var parent);
        using var activity = ActivitySource.StartActivity("outbox relay", ActivityKind.Producer, parent);
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        switch (row.MessageType)
        {
            case OutboxWriter.FlowAcceptedType:
                var accepted = Deserialize<FlowAccepted>(row);
                activity?.SetTag("pec.flow_id", accepted.FlowId);
                await endpoint.Send(accepted, context => context.Headers.Set("Pec-Outbox-Id", row.Id), timeoutSource.Token);
                break;
            case OutboxWriter.DeliveryDueType:
                var due = Deserialize<DeliveryDue>(row);
                activity?.SetTag("pec.flow_id", due.FlowId);
                activity?.SetTag("pec.recipient_id", due.RecipientId);
                await endpoint.Send(due, context => context.Headers.Set("Pec-Outbox-Id", row.Id), timeoutSource.Token);
                break;
            default:
                throw new InvalidOperationException($"Outbox row {row.Id} has unknown message type '{row.MessageType}'.");
        }
    }

    private static T Deserialize<T>(OutboxRow row) =>
        JsonSerializer.Deserialize<T>(row.Body) ?? throw new InvalidOperationException($"Outbox row {row.Id} has an empty body.");

    private sealed record OutboxRow(long Id, string MessageType, string Body, string? TraceParent);
}
