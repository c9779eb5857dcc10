namespace Pec.Routing.Delivery;

/// <summary>Why a delivery ended without success; stable wire names, stored and shown to operators.</summary>
public static class DeadLetterReason
{
    /// <summary>The recipient responded with a permanent refusal (HTTP 4xx other than 408, 425, 429).</summary>
    public const string RecipientRefused = "recipient-refused";

    /// <summary>
    /// The delivery expired and no attempt got an HTTP response in time: connection, TLS or timeout
    /// failures only. A recipient that responds after the timeout may still have received the payload.
    /// </summary>
    public const string Unreachable = "unreachable";

    /// <summary>The delivery expired: never fetched from the mailbox, or every response was a temporary failure.</summary>
    public const string Expired = "expired";

    /// <summary>The stored payload is missing or no longer matches its digest.</summary>
    public const string PayloadCorrupt = "payload-corrupt";

    /// <summary>The delivery message failed processing every time it was retried.</summary>
    public const string PoisonMessage = "poison-message";

    public static readonly IReadOnlyList<string> All = [RecipientRefused, Unreachable, Expired, PayloadCorrupt, PoisonMessage];
}
