namespace Pec.Routing.Flows;

/// <summary>Wire names of the flow and delivery states, as stored and as the API shows them.</summary>
public static class FlowStatus
{
    public const string Accepted = "accepted";
    public const string Routed = "routed";
    public const string Available = "available";
    public const string Pending = "pending";
    public const string Delivered = "delivered";
    public const string Acknowledged = "acknowledged";
    public const string Failed = "failed";

    public static readonly IReadOnlyList<string> FlowStates = [Accepted, Routed, Delivered, Acknowledged, Failed];
}
