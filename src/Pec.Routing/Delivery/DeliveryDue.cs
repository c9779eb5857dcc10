namespace Pec.Routing.Delivery;

/// <summary>
/// Asks the delivery consumer to attempt one push delivery. Only the message whose
/// <see cref="DispatchId"/> matches the delivery row may attempt it; older copies are ignored.
/// </summary>
public sealed record DeliveryDue(Guid FlowId, string RecipientId, Guid DispatchId);
