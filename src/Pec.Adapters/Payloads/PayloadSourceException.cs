namespace Pec.Adapters.Payloads;

/// <summary>
/// Thrown when reading the incoming payload fails (the client stalled, aborted or sent a malformed
/// body), as opposed to a failure of the store itself; nothing was kept.
/// </summary>
public sealed class PayloadSourceException : Exception
{
    public PayloadSourceException()
    {
    }

    public PayloadSourceException(string message)
        : base(message)
    {
    }

    public PayloadSourceException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
