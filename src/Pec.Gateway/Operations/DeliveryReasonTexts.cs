using Pec.Gateway.Problems;
using Pec.Routing.Delivery;

namespace Pec.Gateway.Operations;

/// <summary>
/// What each dead-letter reason means, for people reading notices and dead letters: French by
/// default, English on <c>Accept-Language: en</c>. The stored <c>detail</c> stays the technical
/// text of the failure (HTTP status, TLS or I/O error) as the routing process recorded it.
/// </summary>
internal static class DeliveryReasonTexts
{
    private static readonly Dictionary<string, LocalizedText> Texts = new(StringComparer.Ordinal)
    {
        [DeadLetterReason.RecipientRefused] = new(
            "Le point de remise du destinataire a refusé le flux de façon définitive.",
            "The recipient's endpoint refused the flow permanently."),
        [DeadLetterReason.Unreachable] = new(
            "Le point de remise du destinataire n'a jamais répondu à temps avant l'échéance de remise.",
            "The recipient's endpoint never responded in time before the delivery expiry."),
        [DeadLetterReason.Expired] = new(
            "L'échéance de remise est passée : flux jamais récupéré dans la boîte aux lettres, ou échecs temporaires jusqu'au bout.",
            "The delivery expiry passed: the flow was never fetched from the mailbox, or every attempt failed temporarily."),
        [DeadLetterReason.PayloadCorrupt] = new(
            "Le document stocké ne correspond plus à son empreinte SHA-256 ; il n'a pas été transmis.",
            "The stored payload no longer matches its SHA-256; it was not sent."),
        [DeadLetterReason.PoisonMessage] = new(
            "Le traitement de la remise a échoué à chaque reprise ; l'exploitation doit l'examiner.",
            "Processing the delivery failed on every retry; operators must look into it."),
    };

    /// <summary>The text for <paramref name="reason"/> in the request's language, or null for no reason.</summary>
    public static string? For(string? reason, HttpRequest request) =>
        reason is not null && Texts.TryGetValue(reason, out var text)
            ? ProblemLanguage.PrefersEnglish(request) ? text.English : text.French
            : null;
}
