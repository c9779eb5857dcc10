using Pec.Routing.Flows;

namespace Pec.Routing.Delivery;

/// <summary>A pending delivery as the consumer needs it: the flow, the recipient's endpoint and the retry state.</summary>
internal sealed record DeliveryTarget(
    FlowRecord Flow,
    bool Ordered,
    string RecipientId,
    string Channel,
    Uri Url,
    string TrustedCaFile,
    int Attempts,
    DateTimeOffset ExpiresAt);
