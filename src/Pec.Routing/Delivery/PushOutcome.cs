using Pec.Signing.Receipts;

namespace Pec.Routing.Delivery;

/// <summary>What one push attempt ended with.</summary>
internal abstract record PushOutcome(string Detail)
{
    /// <summary>The recipient responded with 2xx; <paramref name="Reply"/> is its acknowledgement document, if it sent one.</summary>
    public sealed record Delivered(int Status, PayloadDescription? Reply, string Detail) : PushOutcome(Detail);

    /// <summary>A permanent refusal: retrying the same request cannot succeed.</summary>
    public sealed record Refused(int Status, string Detail) : PushOutcome(Detail);

    /// <summary>An HTTP response worth retrying (5xx, 408, 425, 429).</summary>
    public sealed record TemporaryFailure(int Status, string Detail) : PushOutcome(Detail);

    /// <summary>No HTTP response: connection, TLS or timeout failure.</summary>
    public sealed record Unreachable(string Detail) : PushOutcome(Detail);

    /// <summary>The recipient's circuit is open; nothing was sent.</summary>
    public sealed record CircuitOpen(TimeSpan RetryAfter, string Detail) : PushOutcome(Detail);
}
