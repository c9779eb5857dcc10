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
}
