using Microsoft.Extensions.Logging;

namespace Pec.Routing;

/// <summary>Log messages of the routing core. Event ids are stable: 1xxx persistence, 2xxx registry, 3xxx routing, 4xxx outbox.</summary>
internal static partial class Log
{
    [LoggerMessage(1001, LogLevel.Information, "Applied database migration {Version}", EventName = "MigrationApplied")]
    public static partial void MigrationApplied(ILogger logger, string version);

    [LoggerMessage(2001, LogLevel.Information, "Loaded registry {Version}: {AdministrationCount} administrations, {FlowTypeCount} flow types, {CertificateCount} certificates", EventName = "RegistryLoaded")]
    public static partial void RegistryLoaded(ILogger logger, string version, int administrationCount, int flowTypeCount, int certificateCount);

    [LoggerMessage(3001, LogLevel.Debug, "Routed flow {FlowId} to {RecipientCount} recipients", EventName = "FlowRouted")]
    public static partial void FlowRouted(ILogger logger, Guid flowId, int recipientCount);

    [LoggerMessage(3002, LogLevel.Debug, "Flow {FlowId} was already routed; message acknowledged without change", EventName = "RouteSkipped")]
    public static partial void RouteSkipped(ILogger logger, Guid flowId);

    [LoggerMessage(4001, LogLevel.Debug, "Relayed {Count} outbox rows", EventName = "OutboxRelayed")]
    public static partial void OutboxRelayed(ILogger logger, int count);

    [LoggerMessage(4002, LogLevel.Warning, "Outbox relay failed ({Failures} in a row); retrying in {Delay}", EventName = "OutboxRelayFailed")]
    public static partial void OutboxRelayFailed(ILogger logger, Exception exception, int failures, TimeSpan delay);

    [LoggerMessage(4101, LogLevel.Warning, "Time-stamping authority {Url} is unavailable; receipts stay B-B until it answers again", EventName = "TimestampAuthorityUnavailable")]
    public static partial void TimestampAuthorityUnavailable(ILogger logger, Exception exception, Uri url);

    [LoggerMessage(4102, LogLevel.Information, "Time-stamping authority answers again after {Failures} failed attempts; upgrading waiting receipts", EventName = "TimestampAuthorityBack")]
    public static partial void TimestampAuthorityBack(ILogger logger, int failures);

    [LoggerMessage(4103, LogLevel.Warning, "Receipt timestamp upgrade failed on the database; retrying", EventName = "TimestampUpgradeFailed")]
    public static partial void TimestampUpgradeFailed(ILogger logger, Exception exception);

    [LoggerMessage(4104, LogLevel.Error, "Time-stamping authority {Url} returned a token that does not verify; receipts stay B-B", EventName = "TimestampRejected")]
    public static partial void TimestampRejected(ILogger logger, Exception exception, Uri url);

    [LoggerMessage(3101, LogLevel.Debug, "Delivery of flow {FlowId} to {RecipientId} skipped: not pending or dispatched again since", EventName = "DeliverySkipped")]
    public static partial void DeliverySkipped(ILogger logger, Guid flowId, string recipientId);

    [LoggerMessage(3102, LogLevel.Debug, "Delivery of flow {FlowId} to {RecipientId} waits for an earlier flow with the same correlation id", EventName = "DeliveryWaitsForPredecessor")]
    public static partial void DeliveryWaitsForPredecessor(ILogger logger, Guid flowId, string recipientId);

    [LoggerMessage(3103, LogLevel.Information, "Push attempt {Attempt} of flow {FlowId} from {SenderId} to {RecipientId}: {Outcome} ({Detail})", EventName = "DeliveryAttempted")]
    public static partial void DeliveryAttempted(ILogger logger, Guid flowId, string senderId, string recipientId, int attempt, string outcome, string detail);

    [LoggerMessage(3104, LogLevel.Warning, "Delivery of flow {FlowId} from {SenderId} to {RecipientId} failed: {Reason}; non-delivery receipt issued", EventName = "DeliveryFailed")]
    public static partial void DeliveryFailed(ILogger logger, Guid flowId, string senderId, string recipientId, string reason);

    [LoggerMessage(3105, LogLevel.Error, "Delivery message for flow {FlowId} to {RecipientId} failed on every retry; dead-lettered as poison", EventName = "DeliveryPoisoned")]
    public static partial void DeliveryPoisoned(ILogger logger, Exception exception, Guid flowId, string recipientId);

    [LoggerMessage(3106, LogLevel.Warning, "Delivery scheduler tick failed; trying again next tick", EventName = "DeliverySchedulerFailed")]
    public static partial void DeliverySchedulerFailed(ILogger logger, Exception exception);

    [LoggerMessage(3107, LogLevel.Warning, "Flow {FlowId} was still unrouted after the route lease; routing message published again", EventName = "FlowRepublished")]
    public static partial void FlowRepublished(ILogger logger, Guid flowId);

    [LoggerMessage(3108, LogLevel.Information, "Dead letter {DeadLetterId} {Action} by {OperatorId}", EventName = "DeadLetterResolved")]
    public static partial void DeadLetterResolved(ILogger logger, Guid deadLetterId, string action, string operatorId);
}
