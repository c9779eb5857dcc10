using System.Text.Json;
using Pec.Signing.Verification;

namespace Pec.Cli;

/// <summary>The verdict as <c>pec verify --json</c> prints it; field names are stable for scripts.</summary>
internal sealed record VerdictJson(
    bool Valid,
    string? Reason,
    string Detail,
    string? RequiredLevel,
    string? LevelMet,
    string? SignerSubject,
    string? SignerIssuer,
    string? SignerSerialNumber,
    string? SignerSha256,
    string? SignatureMethod,
    IReadOnlyList<string>? DigestMethods,
    DateTimeOffset? SigningTime,
    bool CoversWholeDocument,
    string? SignedRootElement)
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static VerdictJson From(SignatureVerdict verdict, bool accepted) => new(
        accepted,
        accepted ? null : verdict.Reason ?? SignatureReasons.Wrapping,
        verdict.Detail,
        verdict.RequiredLevel,
        verdict.LevelMet,
        verdict.Signer?.Subject,
        verdict.Signer?.Issuer,
        verdict.Signer?.SerialNumberHex,
        verdict.Signer?.Sha256Fingerprint,
        verdict.Algorithms?.SignatureMethod,
        verdict.Algorithms?.DigestMethods,
        verdict.SigningTime,
        verdict.SignedContent?.CoversWholeDocument == true,
        verdict.SignedContent?.Document?.Name);
}
