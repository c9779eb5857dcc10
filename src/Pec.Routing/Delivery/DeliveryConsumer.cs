using System.Diagnostics;
using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Pec.Adapters.Payloads;
using Pec.Routing.Persistence;

namespace Pec.Routing.Delivery;

/// <summary>
/// Attempts one push delivery per message. The message is acknowledged to RabbitMQ only after the
/// outcome is committed; a crash in between leaves the delivery leased, and the scheduler dispatches
/// it again when the lease ends, so the recipient may see the same flow twice but never lose it.
/// </summary>
internal sealed class DeliveryConsumer(
    DeliveryStore store,
    DeliveryRecorder recorder,
    IEnumerable<IDeliveryChannel> channels,
    PayloadStore payloads,
    DeliveryPoison poison,
    IOptions<DeliveryOptions> options,
    TimeProvider timeProvider,
    ILogger<DeliveryConsumer> logger) : IConsumer<DeliveryDue>
{
    /// <summary>In-memory retries of one message before it is treated as poison; matches the endpoint's retry policy.</summary>
    public const int MessageRetryLimit = 4;

    private static readonly ActivitySource ActivitySource = new(PecActivitySources.Delivery);

    public async Task Consume(ConsumeContext<DeliveryDue> context)
    {
        try
        {
            await DeliverAsync(context.Message, context.GetRetryAttempt() > 0, context.CancellationToken);
        }
        catch (Exception exception) when (context.GetRetryAttempt() >= MessageRetryLimit && exception is not OperationCanceledException)
        {
            await poison.RecordAsync(context.Message, exception, context.CancellationToken);
        }
    }

    private async Task DeliverAsync(DeliveryDue message, bool retrying, CancellationToken cancellationToken)
    {
        var now = timeProvider.Now();
        var target = await store.ClaimAsync(message, retrying, cancellationToken);
        if (target is null)
        {
            Log.DeliverySkipped(logger, message.FlowId, message.RecipientId);
            return;
        }

        // From the claim on, the work is finished even if RabbitMQ drops the connection and cancels
        // the consume context: the outcome reaches PostgreSQL, and the redelivered message finds it
        // there, instead of leaving the delivery to wait for its lease. The push is bounded by
        // AttemptTimeout, and each database command by its command timeout.
        if (target.ExpiresAt <= now)
        {
            // The scheduler ends expired deliveries; handing it back keeps that in one place.
            await store.DeferAsync(message, now, CancellationToken.None);
            return;
        }

        if (target.Ordered && await store.HasPendingPredecessorAsync(target, CancellationToken.None))
        {
            Log.DeliveryWaitsForPredecessor(logger, message.FlowId, message.RecipientId);
            await store.DeferBehindPredecessorAsync(message, now, options.Value.OrderingRecheckDelay, CancellationToken.None);
            return;
        }

        if (!await payloads.VerifyAsync(target.Flow.PayloadSha256, CancellationToken.None))
        {
            await recorder.FailCorruptAsync(message, target, now, CancellationToken.None);
            Log.DeliveryFailed(logger, message.FlowId, target.Flow.SenderId, message.RecipientId, DeadLetterReason.PayloadCorrupt);
            return;
        }

        // The HTTP client puts this activity's context in the traceparent header of the push request.
        using var activity = ActivitySource.StartActivity("deliver", ActivityKind.Client);
        activity?.SetTag("pec.flow_id", message.FlowId);
        activity?.SetTag("pec.recipient_id", message.RecipientId);
        var channel = channels.FirstOrDefault(c => c.Name == target.Channel)
            ?? throw new InvalidOperationException($"No delivery channel named '{target.Channel}' in this process.");
        var outcome = await channel.PushAsync(target, CancellationToken.None);
        activity?.SetTag("pec.delivery.outcome", outcome.GetType().Name);
        Faults.CrashPoints.Hit(Faults.CrashPoints.AfterPushBeforeRecord);
        await recorder.RecordAsync(message, target, outcome, now, CancellationToken.None);
        Log.DeliveryAttempted(logger, message.FlowId, target.Flow.SenderId, message.RecipientId, target.Attempts + 1, outcome.GetType().Name, outcome.Detail);
    }
}
