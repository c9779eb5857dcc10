using System.Diagnostics.CodeAnalysis;

namespace Pec.Signing.Verification;

/// <summary>
/// Outcome of <see cref="XmlSignatureVerifier"/>: whether the payload meets the required level, the reason
/// when it does not, what was signed and the signer.
/// </summary>
public sealed class SignatureVerdict
{
    internal SignatureVerdict(
        string? reason,
        string detail,
        string? requiredLevel,
        string? levelMet,
        SignatureReport? signature,
        IReadOnlyList<SignatureReport> signatures)
    {
        Reason = reason;
        Detail = detail;
        RequiredLevel = requiredLevel;
        LevelMet = levelMet;
        Signature = signature;
        Signatures = signatures;
    }

    /// <summary>True when a signature covering the whole document meets the required level (or the level is <c>none</c>).</summary>
    [MemberNotNullWhen(false, nameof(Reason))]
    public bool IsValid => Reason is null;

    /// <summary>One of <see cref="SignatureReasons"/> when the payload is rejected, otherwise null.</summary>
    public string? Reason { get; }

    /// <summary>English explanation for logs and operators; not meant to be parsed.</summary>
    public string Detail { get; }

    /// <summary>The level asked for, or null for a verification against a pinned anchor.</summary>
    public string? RequiredLevel { get; }

    /// <summary>
    /// Highest level whose anchors accept the signer of <see cref="Signature"/>; <c>none</c> for an accepted
    /// unsigned payload; null when no level is met or for a verification against a pinned anchor.
    /// </summary>
    public string? LevelMet { get; }

    /// <summary>
    /// The signature this verdict is about: the accepted one, or the one whose failure <see cref="Reason"/> reports.
    /// Null when the document was rejected before any signature was examined.
    /// </summary>
    public SignatureReport? Signature { get; }

    /// <summary>One report per <c>ds:Signature</c> element, in document order.</summary>
    public IReadOnlyList<SignatureReport> Signatures { get; }

    /// <summary>The signer of <see cref="Signature"/>, once its SignatureValue verified.</summary>
    public SignerIdentity? Signer => Signature?.Signer;

    /// <summary>The algorithms of <see cref="Signature"/>.</summary>
    public SignatureAlgorithms? Algorithms => Signature?.Algorithms;

    /// <summary>The signed XAdES SigningTime of <see cref="Signature"/>, if any.</summary>
    public DateTimeOffset? SigningTime => Signature?.SigningTime;

    /// <summary>The time of the verified XAdES SignatureTimeStamp of <see cref="Signature"/>, if any.</summary>
    public DateTimeOffset? TimestampTime => Signature?.TimestampTime;

    /// <summary>What <see cref="Signature"/> covers, once its digests and SignatureValue verified.</summary>
    public SignedContent? SignedContent => Signature?.SignedContent;

    /// <inheritdoc />
    public override string ToString() => IsValid ? $"valid ({LevelMet}): {Detail}" : $"{Reason}: {Detail}";
}
