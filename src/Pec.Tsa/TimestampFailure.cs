namespace Pec.Tsa;

/// <summary>PKIFailureInfo bits of RFC 3161 section 2.4.2 that this TSA reports.</summary>
internal enum TimestampFailure
{
    BadAlgorithm = 0,
    BadRequest = 2,
    BadDataFormat = 5,
    UnacceptedPolicy = 15,
    UnacceptedExtension = 16,
}
