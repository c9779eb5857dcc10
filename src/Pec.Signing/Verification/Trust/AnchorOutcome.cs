namespace Pec.Signing.Verification.Trust;

/// <summary>How far the signer got with one anchor of one level; a later stage means the chain was closer to acceptance.</summary>
internal enum AnchorStage
{
    NotAnchored,
    TimeInvalid,
    RevocationUnknown,
    Revoked,
    PolicyMissing,
    KeyUsageMissing,
    Accepted,
}

/// <summary>Result of checking the signer against one anchor of one level.</summary>
internal sealed record AnchorOutcome(LevelRule Level, AnchorStage Stage, string Reason, string Detail);
