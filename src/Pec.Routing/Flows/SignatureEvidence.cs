namespace Pec.Routing.Flows;

/// <summary>
/// What the verifier established about the sender's signature of a payload, kept with the flow. When
/// PEC sealed an unsigned payload itself, <see cref="SealedByPlatform"/> is true, the signer is the
/// platform seal, <see cref="OriginalSha256"/> names the bytes the sender sent, and
/// <see cref="DetachedSealSha256"/> names the stored CAdES signature of a non-XML payload.
/// <see cref="TimestampTime"/> is the time of a verified XAdES signature timestamp of the sender's signature.
/// </summary>
public sealed record SignatureEvidence(
    string LevelMet,
    string SignerSubject,
    string SignerIssuer,
    string SignerSerialNumber,
    string SignerSha256,
    string SignatureMethod,
    IReadOnlyList<string> DigestMethods,
    DateTimeOffset? SigningTime,
    DateTimeOffset VerifiedAt,
    bool SealedByPlatform = false,
    string? OriginalSha256 = null,
    string? DetachedSealSha256 = null,
    DateTimeOffset? TimestampTime = null);
