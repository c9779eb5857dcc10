namespace Pec.Signing.Timestamping;

/// <summary>
/// The TSA answered, but its response is not a usable time-stamp: wrong media type, rejected request,
/// token not matching the request, or TSA certificate not trusted. Retrying the same TSA is unlikely to help.
/// </summary>
public sealed class InvalidTimestampException : Exception
{
    /// <summary>Creates the exception for <paramref name="url"/>.</summary>
    public InvalidTimestampException(Uri url, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Url = url;
    }

    /// <summary>The TSA URL that answered.</summary>
    public Uri Url { get; }
}
