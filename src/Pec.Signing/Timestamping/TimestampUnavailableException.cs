namespace Pec.Signing.Timestamping;

/// <summary>The TSA could not be reached, timed out or answered with an HTTP error: trying again later may work.</summary>
public sealed class TimestampUnavailableException : Exception
{
    /// <summary>Creates the exception for <paramref name="url"/>.</summary>
    public TimestampUnavailableException(Uri url, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Url = url;
    }

    /// <summary>The TSA URL that failed.</summary>
    public Uri Url { get; }
}
