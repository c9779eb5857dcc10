using System.Globalization;
using Pec.Adapters.Payloads;
using Pec.Gateway.Problems;
using Pec.Routing.Flows;
using Pec.Routing.Registry;

namespace Pec.Gateway.Flows;

/// <summary>
/// Derives the recipients of a stored payload from its flow type's recipient rules, for a
/// submission without <c>Pec-Recipients</c>, or returns the problem that rejects it.
/// </summary>
internal static class SubmissionRecipients
{
    // Rules and values come from the registry and the payload: details quote a bounded prefix of each.
    private const int MaxQuotedLength = 120;

    public static async Task<(IReadOnlyList<string>? Recipients, ProblemKind? Kind, object?[] Arguments)> ResolveAsync(
        FlowType flowType, string mediaType, StoredPayload payload, PayloadStore store, RegistryRepository registry, CancellationToken cancellationToken)
    {
        RecipientResolution resolution;
        await using (var stream = store.OpenRead(payload.Sha256Hex)
            ?? throw new InvalidOperationException($"Payload {payload.Sha256Hex} vanished from the store right after it was written."))
        {
            resolution = await RecipientResolver.ResolveAsync(
                flowType.RecipientRules, mediaType, stream, registry.FindAdministrationsByCodeAsync, SubmissionHeaders.MaxRecipients, cancellationToken);
        }

        switch (resolution)
        {
            case RecipientResolution.Resolved resolved:
                // The registry check guarantees this for every code holder; a registry edited since then must not widen the flow type.
                if (resolved.Recipients.FirstOrDefault(id => !flowType.AllowsRecipient(id)) is { } forbidden)
                {
                    return (null, ProblemCatalog.RecipientNotAllowed, [forbidden, flowType.Id]);
                }

                return (resolved.Recipients, null, []);
            case RecipientResolution.NoApplicableRule noRule:
                return (null, RecipientProblems.NoApplicableRule, [flowType.Id, noRule.MediaType]);
            case RecipientResolution.NoValue noValue:
                return (null, RecipientProblems.NoValue, [Quote(string.Join(", ", noValue.Rules.Select(r => r.Describe())))]);
            case RecipientResolution.UnknownCode unknown:
                return (null, RecipientProblems.UnknownCode, [Quote(unknown.Rule.Describe()), Quote(unknown.Value), unknown.Rule.Code]);
            case RecipientResolution.Unreadable unreadable:
                return (null, RecipientProblems.Unreadable, [Quote(unreadable.Rule.Describe()), Location(unreadable)]);
            case RecipientResolution.TooManyRecipients tooMany:
                return (null, RecipientProblems.TooManyRecipients, [tooMany.Maximum]);
            default:
                throw new InvalidOperationException($"Unexpected recipient resolution {resolution}.");
        }
    }

    private static LocalizedText Location(RecipientResolution.Unreadable unreadable) =>
        unreadable.Line == 0
            ? new LocalizedText("", "")
            : new LocalizedText(
                string.Create(CultureInfo.InvariantCulture, $" (ligne {unreadable.Line}, position {unreadable.Position})"),
                string.Create(CultureInfo.InvariantCulture, $" (line {unreadable.Line}, position {unreadable.Position})"));

    private static string Quote(string text) =>
        text.Length <= MaxQuotedLength ? text : text[..MaxQuotedLength] + "…";
}
