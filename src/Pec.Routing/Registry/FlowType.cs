namespace Pec.Routing.Registry;

/// <summary>A kind of document exchanged, with who may send it to whom and what it may contain.</summary>
public sealed record FlowType(
    string Id,
    string Description,
    IReadOnlyList<string> MediaTypes,
    long MaxSizeBytes,
    string SignatureLevel,
    bool SealUnsigned,
    TimeSpan DeliveryExpiry,
    int RetentionDays,
    IReadOnlyList<string> Senders,
    IReadOnlyList<string> Recipients)
{
    /// <summary>Flows with the same sender, correlation id and recipient are delivered in submission order.</summary>
    public bool Ordered { get; init; }

    public bool AcceptsMediaType(string mediaType) =>
        MediaTypes.Contains(mediaType, StringComparer.OrdinalIgnoreCase);

    public bool AllowsSender(string administrationId) =>
        Senders.Contains(administrationId, StringComparer.Ordinal);

    public bool AllowsRecipient(string administrationId) =>
        Recipients.Contains(administrationId, StringComparer.Ordinal);

    /// <summary>Rules that derive the recipients from the payload when the submission names none; empty when <c>Pec-Recipients</c> is required.</summary>
    public IReadOnlyList<RecipientRule> RecipientRules { get; init; } = [];
}
