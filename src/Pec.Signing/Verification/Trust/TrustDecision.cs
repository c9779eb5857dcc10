namespace Pec.Signing.Verification.Trust;

/// <summary>Result of <see cref="TrustEvaluator"/>: the highest level met and, when the required one is not, why.</summary>
/// <param name="LevelMet">Name of the highest level whose anchors accept the signer, or null.</param>
/// <param name="Reason">Null when the required level is met, otherwise one of <see cref="SignatureReasons"/>.</param>
/// <param name="Detail">English explanation.</param>
internal sealed record TrustDecision(string? LevelMet, string? Reason, string Detail);
