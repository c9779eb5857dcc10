namespace Pec.Routing;

/// <summary>Activity sources of the routing core, for hosts to add to their tracing.</summary>
public static class PecActivitySources
{
    public const string Outbox = "Pec.Routing.Outbox";
    public const string Delivery = "Pec.Routing.Delivery";

    /// <summary>Every source a host should listen to, MassTransit's included.</summary>
    public static readonly string[] All = ["MassTransit", Outbox, Delivery];
}
