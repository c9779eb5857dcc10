namespace Pec.Routing.Flows;

/// <summary>What the verifier established about the sender's signature of a payload, kept with the flow.</summary>
public sealed record SignatureEvidence(
    string LevelMet,
    string SignerSubject,
    string SignerIssuer,
    string SignerSerialNumber,
    string SignerSha256,
    string SignatureMethod,
    IReadOnlyList<string> DigestMethods,
    DateTimeOffset? SigningTime,
    DateTimeOffset VerifiedAt);
