using Microsoft.Extensions.Logging;

namespace Pec.Signing;

internal static partial class Log
{
    [LoggerMessage(
        EventId = 1,
        Level = LogLevel.Information,
        Message = "Platform seal loaded: subject {Subject}, issuer {Issuer}, SHA-256 {Sha256}, signature method {SignatureMethod}, valid until {NotAfter:O}")]
    public static partial void SealLoaded(
        ILogger logger, string subject, string issuer, string sha256, string signatureMethod, DateTime notAfter);
}
