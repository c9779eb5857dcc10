using System.Diagnostics.Metrics;

namespace Pec.Routing;

/// <summary>
/// The platform's own metrics, on the meter <c>Pec</c>: flows accepted and rejected, deliveries and
/// acknowledgements, and the time from acceptance to delivery. Exporters are configured by the host.
/// </summary>
public static class PecMetrics
{
    public const string MeterName = "Pec";

    private static readonly Meter Meter = new(MeterName);

    public static readonly Counter<long> FlowsAccepted = Meter.CreateCounter<long>("pec.flows.accepted", "{flow}", "Flows accepted, with a deposit receipt.");

    public static readonly Counter<long> FlowsRejected = Meter.CreateCounter<long>("pec.flows.rejected", "{flow}", "Submissions rejected, by problem type.");

    public static readonly Counter<long> Deliveries = Meter.CreateCounter<long>("pec.deliveries.delivered", "{delivery}", "Deliveries completed: payload fetched in full from the mailbox, or pushed and answered 2xx.");

    public static readonly Counter<long> Acknowledgements = Meter.CreateCounter<long>("pec.deliveries.acknowledged", "{delivery}", "Deliveries acknowledged by their recipient.");

    public static readonly Counter<long> DeliveriesRetried = Meter.CreateCounter<long>("pec.deliveries.retried", "{attempt}", "Push attempts that failed and were scheduled again.");

    public static readonly Counter<long> DeliveriesFailed = Meter.CreateCounter<long>("pec.deliveries.failed", "{delivery}", "Deliveries ended without success (non-delivery receipt), by reason.");

    public static readonly Histogram<double> DeliveryLatency = Meter.CreateHistogram<double>(
        "pec.delivery.latency", "s", "Time from a flow's acceptance to its delivery to one recipient.");
}
