using Pec.Adapters.Payloads;
using Pec.Gateway.Problems;
using Pec.Routing.Flows;
using Pec.Routing.Registry;
using Pec.Signing.Sealing;
using Pec.Signing.Verification;

namespace Pec.Gateway.Flows;

/// <summary>
/// Verifies the sender's signature of a stored payload at the level its flow type requires, and
/// turns the verdict into evidence kept with the flow or into the problem that rejects it.
/// XML payloads carry an enveloped XML-DSig or XAdES signature; JSON payloads a detached JWS and
/// other payloads a detached CAdES signature, both in the <c>Pec-Signature</c> header.
/// </summary>
internal sealed class PayloadSignatureCheck(SignatureVerifierProvider verifiers, PayloadStore store, TimeProvider timeProvider)
{
    public const string SignatureHeader = "Pec-Signature";

    // A detached signature travels in a header: a CMS with its certificate chain is a few KiB.
    private const int MaxSignatureHeaderLength = 64 * 1024;

    public async Task<(SignatureEvidence? Evidence, ProblemKind? Problem, SignatureVerdict? Verdict)> CheckAsync(
        FlowType flowType, string mediaType, string? signatureHeader, StoredPayload payload, CancellationToken cancellationToken)
    {
        var format = FormatOf(mediaType);
        byte[]? detached = null;
        if (!string.IsNullOrEmpty(signatureHeader))
        {
            // An XML payload with a Pec-Signature header carries a detached XML-DSig or XAdES signature.
            if (format == PayloadSignatureFormat.Xml)
            {
                format = PayloadSignatureFormat.XmlDetached;
            }

            detached = DecodeDetached(format, signatureHeader);
            if (detached is null)
            {
                return (null, SignatureProblems.For(SignatureReasons.MalformedSignature), null);
            }
        }

        byte[] content;
        await using (var stream = store.OpenRead(payload.Sha256Hex)
            ?? throw new InvalidOperationException($"Payload {payload.Sha256Hex} vanished from the store right after it was written."))
        {
            content = new byte[payload.Size];
            await stream.ReadExactlyAsync(content, cancellationToken);
        }

        // The verifiers work synchronously; a large document must not hold a request thread.
        var verifier = verifiers.Current;
        var verdict = await Task.Run(() => verifier.Verify(format, content, detached, flowType.SignatureLevel), cancellationToken);
        if (!verdict.IsValid)
        {
            return (null, SignatureProblems.For(verdict.Reason), verdict);
        }

        var signer = verdict.Signer!;
        var algorithms = verdict.Algorithms!;
        var evidence = new SignatureEvidence(
            verdict.LevelMet!, signer.Subject, signer.Issuer, signer.SerialNumberHex, signer.Sha256Fingerprint,
            algorithms.SignatureMethod, algorithms.DigestMethods, verdict.SigningTime, timeProvider.GetUtcNow(),
            TimestampTime: verdict.TimestampTime);
        return (evidence, null, verdict);
    }

    private static PayloadSignatureFormat FormatOf(string mediaType)
    {
        if (PayloadSealer.IsXmlMediaType(mediaType))
        {
            return PayloadSignatureFormat.Xml;
        }

        return mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase)
            ? PayloadSignatureFormat.JwsDetached
            : PayloadSignatureFormat.CadesDetached;
    }

    // A JWS is sent as its compact serialization (ASCII); a CMS as base64 of its DER, a detached XML signature as base64 of its XML.
    private static byte[]? DecodeDetached(PayloadSignatureFormat format, string header)
    {
        if (header.Length > MaxSignatureHeaderLength)
        {
            return null;
        }

        if (format == PayloadSignatureFormat.JwsDetached)
        {
            return System.Text.Encoding.ASCII.GetBytes(header.Trim());
        }

        var buffer = new byte[header.Length];
        return Convert.TryFromBase64String(header.Trim(), buffer, out var written) ? buffer[..written] : null;
    }
}
