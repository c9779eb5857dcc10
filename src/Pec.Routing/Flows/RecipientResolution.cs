using Pec.Routing.Registry;

namespace Pec.Routing.Flows;

/// <summary>Outcome of deriving a submission's recipients from its payload with the flow type's rules.</summary>
internal abstract record RecipientResolution
{
    private RecipientResolution()
    {
    }

    /// <summary>Every selected value maps to an administration; <see cref="Recipients"/> are distinct, in the order the values appear.</summary>
    public sealed record Resolved(IReadOnlyList<string> Recipients) : RecipientResolution;

    /// <summary>The flow type has rules, but none reads payloads of <see cref="MediaType"/> (XPath rules read XML, JSON path rules read JSON).</summary>
    public sealed record NoApplicableRule(string MediaType) : RecipientResolution;

    /// <summary>The applicable rules selected no value, or only empty ones.</summary>
    public sealed record NoValue(IReadOnlyList<RecipientRule> Rules) : RecipientResolution;

    /// <summary><see cref="Value"/>, selected by <see cref="Rule"/>, is no administration's code of the rule's kind.</summary>
    public sealed record UnknownCode(RecipientRule Rule, string Value) : RecipientResolution;

    /// <summary>The payload could not be parsed for <see cref="Rule"/>; <see cref="Line"/> and <see cref="Position"/> locate the error, from 1, or are 0 when unknown.</summary>
    public sealed record Unreadable(RecipientRule Rule, long Line, long Position) : RecipientResolution;

    /// <summary>The rules selected more than <see cref="Maximum"/> distinct values.</summary>
    public sealed record TooManyRecipients(int Maximum) : RecipientResolution;
}
