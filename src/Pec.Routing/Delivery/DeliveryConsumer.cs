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
        var target = await store.ClaimAsync(message, retrying, now, cancellationToken);
        if (target is null)
        {
            Log.DeliverySkipped(logger, message.FlowId, message.RecipientId);
            return;
        }

        if (target.ExpiresAt <= now)
        {
            // The scheduler ends expired deliveries; handing it back keeps that in one place.
            await store.DeferAsync(message, now, cancellationToken);
            return;
        }

        if (target.Ordered && await store.HasPendingPredecessorAsync(target, cancellationToken))
        {
            Log.DeliveryWaitsForPredecessor(logger, message.FlowId, message.RecipientId);
            await store.DeferBehindPredecessorAsync(message, target, now, options.Value.OrderingRecheckDelay, cancellationToken);
            return;
        }

        if (!await payloads.VerifyAsync(target.Flow.PayloadSha256, cancellationToken))
        {
            await recorder.FailCorruptAsync(message, target, now, cancellationToken);
            Log.DeliveryFailed(logger, message.FlowId, target.Flow.SenderId, message.RecipientId, DeadLetterReason.PayloadCorrupt);
            return;
        }

        // The HTTP client puts this activity's context in the traceparent header of the push request.
        using var activity = ActivitySource.StartActivity("deliver", ActivityKind.Client);
        activity?.SetTag("pec.flow_id", message.FlowId);
        activity?.SetTag("pec.recipient_id", message.RecipientId);
        var channel = channels.FirstOrDefault(c => c.Name == target.Channel)
            ?? throw new InvalidOperationException($"No delivery channel named '{target.Channel}' in this process.");
        var outcome = await channel.PushAsync(target, cancellationToken);
        activity?.SetTag("pec.delivery.outcome", outcome.GetType().Name);
        Faults.CrashPoints.Hit(Faults.CrashPoints.AfterPushBeforeRecord);
        await recorder.RecordAsync(message, target, outcome, now, cancellationToken);
        Log.DeliveryAttempted(logger, message.FlowId, target.Flow.SenderId, message.RecipientId, target.Attempts + 1, outcome.GetType().Name, outcome.Detail);
    }
}
