namespace Pec.Routing.Delivery;

/// <summary>
/// A way of handing a flow to a recipient that PEC drives itself (push). The registry names the
/// channel of each recipient. An SFTP drop, for instance, would be one more implementation with
/// its own name, its own target settings and the same outcomes. The pull mailbox is not one,
/// because there the recipient drives the delivery.
/// </summary>
internal interface IDeliveryChannel
{
    /// <summary>Name of the pull channel, the only one PEC does not drive; every other channel is pushed.</summary>
    public const string Mailbox = "mailbox";

    /// <summary>Name stored in <c>deliveries.channel</c> and in the registry, such as <c>https</c>.</summary>
    public string Name { get; }

    /// <summary>Makes one attempt and returns how it ended; never throws for a failure of the recipient's side.</summary>
    public Task<PushOutcome> PushAsync(DeliveryTarget target, CancellationToken cancellationToken);
}
