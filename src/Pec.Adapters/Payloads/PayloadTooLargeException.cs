namespace Pec.Adapters.Payloads;

/// <summary>Thrown when a payload stream goes past the maximum size it was allowed; nothing was kept.</summary>
public sealed class PayloadTooLargeException : Exception
{
    public PayloadTooLargeException(long maxBytes)
        : base($"The payload exceeds the maximum size of {maxBytes} bytes.")
    {
        MaxBytes = maxBytes;
    }

    public PayloadTooLargeException()
    {
    }

    public PayloadTooLargeException(string message)
        : base(message)
    {
    }

    public PayloadTooLargeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The limit that was exceeded, in bytes.</summary>
    public long MaxBytes { get; }
}
