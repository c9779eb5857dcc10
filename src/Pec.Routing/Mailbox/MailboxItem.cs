using Pec.Routing.Flows;

namespace Pec.Routing.Mailbox;

/// <summary>A flow in a recipient's mailbox, with that recipient's delivery state.</summary>
public sealed record MailboxItem(FlowRecord Flow, DeliveryRecord Delivery);
