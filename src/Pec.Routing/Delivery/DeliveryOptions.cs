using System.ComponentModel.DataAnnotations;

namespace Pec.Routing.Delivery;

/// <summary>
/// Settings of push delivery, bound from <c>Pec:Delivery</c>. Retries go on until the flow type's
/// delivery expiry; these settings shape the spacing between attempts, not their number.
/// </summary>
public sealed class DeliveryOptions
{
    /// <summary>PEM certificate PEC presents to recipients' HTTPS endpoints (mutual TLS, clientAuth usage).</summary>
    public string? ClientCertificatePath { get; set; }

    /// <summary>PEM private key of <see cref="ClientCertificatePath"/>.</summary>
    public string? ClientKeyPath { get; set; }

    /// <summary>Delay before the first retry; each later retry doubles it, up to <see cref="MaxRetryDelay"/>. Default 30 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan InitialRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest wait between two attempts. Default 1 hour.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "7.00:00:00")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long one HTTPS attempt may take, connection included. Default 30 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a dispatched delivery is left to its message before the scheduler dispatches it
    /// again, which covers a routing process killed mid-attempt. Must exceed twice <see cref="AttemptTimeout"/>. Default 2 minutes.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "01:00:00")]
    public TimeSpan DispatchLease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How often the scheduler looks for due retries, expired deliveries and unrouted flows. Default 2 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:05:00")]
    public TimeSpan SchedulerInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long an ordered delivery waits before checking again whether its predecessor is done.
    /// A safety net only: the predecessor's outcome wakes its successors at once. Default 30 seconds.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan OrderingRecheckDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Age after which a flow still unrouted is published again, in case its message was lost with
    /// a broker or parked in an error queue. Default 2 minutes.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan RouteLease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Largest acknowledgement document a recipient may return in its response. Default 1 MiB.</summary>
    [Range(0, 100 * 1024 * 1024)]
    public long MaxAcknowledgementBytes { get; set; } = 1024 * 1024;

    /// <summary>Per-recipient circuit breaker: share of failed attempts that opens it. Default 0.5.</summary>
    [Range(0.01, 1.0)]
    public double CircuitFailureRatio { get; set; } = 0.5;

    /// <summary>Attempts within <see cref="CircuitSamplingDuration"/> before the ratio counts. Default 5.</summary>
    [Range(2, 10000)]
    public int CircuitMinimumThroughput { get; set; } = 5;

    /// <summary>Window over which the failure ratio is measured. Default 60 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "01:00:00")]
    public TimeSpan CircuitSamplingDuration { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long an open circuit refuses attempts to its recipient. Default 60 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "01:00:00")]
    public TimeSpan CircuitBreakDuration { get; set; } = TimeSpan.FromSeconds(60);
}
