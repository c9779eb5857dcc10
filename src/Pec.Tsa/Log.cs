namespace Pec.Tsa;

/// <summary>Log messages of the development TSA. Event ids: 9xxx.</summary>
internal static partial class Log
{
    [LoggerMessage(9001, LogLevel.Debug, "Answered a {RequestBytes}-byte time-stamp request with {ResponseBytes} bytes", EventName = "Responded")]
    public static partial void Responded(ILogger logger, long requestBytes, int responseBytes);
}
