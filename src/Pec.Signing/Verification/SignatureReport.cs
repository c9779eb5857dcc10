using System.Diagnostics.CodeAnalysis;

namespace Pec.Signing.Verification;

/// <summary>Verification result of one <c>ds:Signature</c> element.</summary>
public sealed class SignatureReport
{
    internal SignatureReport(string? signatureId, string? reason, string detail)
    {
        SignatureId = signatureId;
        Reason = reason;
        Detail = detail;
    }

    /// <summary>The <c>Id</c> attribute of the <c>ds:Signature</c> element, if any.</summary>
    public string? SignatureId { get; }

    /// <summary>True when this signature alone makes the payload acceptable.</summary>
    [MemberNotNullWhen(false, nameof(Reason))]
    public bool IsValid => Reason is null;

    /// <summary>One of <see cref="SignatureReasons"/>, or null when valid.</summary>
    public string? Reason { get; private set; }

    /// <summary>English explanation.</summary>
    public string Detail { get; private set; }

    /// <summary>Highest level whose anchors accept the signer, or null.</summary>
    public string? LevelMet { get; internal set; }

    /// <summary>The certificate whose key verified the SignatureValue, once it did.</summary>
    public SignerIdentity? Signer { get; internal set; }

    /// <summary>Algorithms declared by the signature, once its SignedInfo was read.</summary>
    public SignatureAlgorithms? Algorithms { get; internal set; }

    /// <summary>XAdES SigningTime, read only from a SignedProperties element that the signature covers.</summary>
    public DateTimeOffset? SigningTime { get; internal set; }

    /// <summary>
    /// Time of a verified XAdES SignatureTimeStamp (the earliest, when there are several); null without one or when no
    /// TSA anchor is configured. When set, the signer's certificates were checked at this time.
    /// </summary>
    public DateTimeOffset? TimestampTime { get; internal set; }

    /// <summary>The references and their content, set only after every digest and the SignatureValue verified.</summary>
    public SignedContent? SignedContent { get; internal set; }

    internal void Reject(string reason, string detail)
    {
        Reason = reason;
        Detail = detail;
    }

    internal void Accept(string detail)
    {
        Reason = null;
        Detail = detail;
    }
}
