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
}
