namespace Pec.Adapters.Payloads;

/// <summary>Wraps a file-system failure of the payload store with the path involved.</summary>
public sealed class PayloadStoreException : Exception
{
    public PayloadStoreException()
    {
    }

    public PayloadStoreException(string message)
        : base(message)
    {
    }

    public PayloadStoreException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
