namespace Pec.Gateway;

/// <summary>Log messages of the gateway. Event ids are stable: 5xxx authentication, 6xxx flows, 7xxx mailbox.</summary>
internal static partial class Log
{
    [LoggerMessage(5001, LogLevel.Information, "Client certificate rejected ({Reason}) from {RemoteAddress}", EventName = "AuthenticationFailed")]
    public static partial void AuthenticationFailed(ILogger logger, string reason, string? remoteAddress);

    [LoggerMessage(6001, LogLevel.Information, "Flow {FlowId} of type {FlowType} accepted from {SenderId}", EventName = "FlowAccepted")]
    public static partial void FlowAccepted(ILogger logger, Guid flowId, string flowType, string senderId);

    [LoggerMessage(6002, LogLevel.Information, "Submission of type {FlowType} from {SenderId} rejected: {ProblemType}", EventName = "FlowRejected")]
    public static partial void FlowRejected(ILogger logger, string senderId, string? flowType, string problemType);

    [LoggerMessage(6003, LogLevel.Information, "Signature of a {FlowType} submission from {SenderId} rejected: {Reason} ({Detail})", EventName = "SignatureRejected")]
    public static partial void SignatureRejected(ILogger logger, string senderId, string flowType, string reason, string detail);

    [LoggerMessage(6004, LogLevel.Debug, "Signature trust anchors and CRLs reloaded", EventName = "SignatureTrustReloaded")]
    public static partial void SignatureTrustReloaded(ILogger logger);

    [LoggerMessage(6005, LogLevel.Warning, "Reloading signature trust anchors and CRLs failed; the previous ones stay in use", EventName = "SignatureTrustReloadFailed")]
    public static partial void SignatureTrustReloadFailed(ILogger logger, Exception exception);

    [LoggerMessage(6006, LogLevel.Information, "Submission from {SenderId} refused with 503: the outbox backlog is full", EventName = "BacklogFull")]
    public static partial void BacklogFull(ILogger logger, string senderId);

    [LoggerMessage(7001, LogLevel.Error, "Payload {Sha256} of flow {FlowId} does not match its digest; not served", EventName = "PayloadCorrupt")]
    public static partial void PayloadCorrupt(ILogger logger, string sha256, Guid flowId);

    [LoggerMessage(7002, LogLevel.Information, "Payload of flow {FlowId} fetched in full by {RecipientId}", EventName = "PayloadFetched")]
    public static partial void PayloadFetched(ILogger logger, Guid flowId, string recipientId);

    [LoggerMessage(7003, LogLevel.Information, "Flow {FlowId} acknowledged by {RecipientId}", EventName = "FlowAcknowledged")]
    public static partial void FlowAcknowledged(ILogger logger, Guid flowId, string recipientId);

    [LoggerMessage(8001, LogLevel.Error, "Unhandled error on {Path}", EventName = "UnhandledError")]
    public static partial void UnhandledError(ILogger logger, Exception exception, string path);
}
