using Pec.Adapters.Payloads;
using Pec.Gateway.Problems;
using Pec.Routing.Flows;
using Pec.Routing.Registry;
using Pec.Signing.Verification;

namespace Pec.Gateway.Flows;

/// <summary>
/// Verifies the sender's signature of a stored payload at the level its flow type requires, and
/// turns the verdict into evidence kept with the flow or into the problem that rejects it.
/// </summary>
internal sealed class PayloadSignatureCheck(XmlSignatureVerifier verifier, PayloadStore store, TimeProvider timeProvider)
{
    private static readonly string[] XmlMediaTypes = ["application/xml", "text/xml"];

    public async Task<(SignatureEvidence? Evidence, ProblemKind? Problem, SignatureVerdict? Verdict)> CheckAsync(
        FlowType flowType, string mediaType, StoredPayload payload, CancellationToken cancellationToken)
    {
        // NOTE: CAdES for binary payloads and JWS for JSON are not verified yet, so a flow type with a
        // signature level accepts XML payloads only.
        if (!IsXml(mediaType))
        {
            return (null, SignatureProblems.For(SignatureReasons.UnsupportedSignature), null);
        }

        await using var stream = store.OpenRead(payload.Sha256Hex)
            ?? throw new InvalidOperationException($"Payload {payload.Sha256Hex} vanished from the store right after it was written.");

        // The verifier parses synchronously; a large document must not hold a request thread.
        var verdict = await Task.Run(() => verifier.Verify(stream, flowType.SignatureLevel), cancellationToken);
        if (!verdict.IsValid)
        {
            return (null, SignatureProblems.For(verdict.Reason), verdict);
        }

        var signer = verdict.Signer!;
        var algorithms = verdict.Algorithms!;
        var evidence = new SignatureEvidence(
            verdict.LevelMet!, signer.Subject, signer.Issuer, signer.SerialNumberHex, signer.Sha256Fingerprint,
            algorithms.SignatureMethod, algorithms.DigestMethods, verdict.SigningTime, timeProvider.GetUtcNow());
        return (evidence, null, verdict);
    }

    private static bool IsXml(string mediaType) =>
        XmlMediaTypes.Contains(mediaType, StringComparer.OrdinalIgnoreCase)
        || mediaType.EndsWith("+xml", StringComparison.OrdinalIgnoreCase);
}
