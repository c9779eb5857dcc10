namespace Pec.Routing.Messages;

/// <summary>Message relayed from the outbox once a flow is committed; the routing consumer creates its deliveries.</summary>
public sealed record FlowAccepted(Guid FlowId);
