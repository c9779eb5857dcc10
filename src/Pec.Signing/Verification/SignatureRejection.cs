namespace Pec.Signing.Verification;

/// <summary>
/// Stops the checks of one signature (or of the whole document) with a reason code. Thrown and caught inside the
/// verifier only, so that each check reads as a straight sequence; it never reaches callers.
/// </summary>
internal sealed class SignatureRejection : Exception
{
    public SignatureRejection(string reason, string detail)
        : base(detail)
    {
        Reason = reason;
    }

    /// <summary>One of <see cref="SignatureReasons"/>.</summary>
    public string Reason { get; }
}
