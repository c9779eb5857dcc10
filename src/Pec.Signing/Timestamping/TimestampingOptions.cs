namespace Pec.Signing.Timestamping;

/// <summary>
/// The RFC 3161 time-stamping authority used for XAdES B-T receipts, bound from <c>Pec:Timestamping</c>.
/// Without <see cref="Url"/> receipts stay B-B.
/// </summary>
public sealed class TimestampingOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Pec:Timestamping";

    /// <summary>Absolute http or https URL the time-stamp queries are POSTed to; null or empty disables time-stamping.</summary>
    public string? Url { get; set; }

    /// <summary>Time allowed for one time-stamp request, connection included. Default 10 seconds, at most 5 minutes.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// PEM file of the CA certificates a TSA certificate must chain to (with the timeStamping extended key usage).
    /// Required when <see cref="Url"/> is set; also used by <c>ReceiptVerifier</c> to check B-T receipts.
    /// </summary>
    public string? TrustedTsaCertificatePath { get; set; }

    /// <summary>Whether <see cref="Url"/> is set.</summary>
    public bool IsEnabled => !string.IsNullOrWhiteSpace(Url);
}
