using Microsoft.Extensions.Options;
using Pec.Adapters.Payloads;
using Pec.Gateway.Authentication;
using Pec.Routing.Flows;
using Pec.Routing.Registry;
using Pec.Signing.Sealing;
using Pec.Signing.Seal;
using Pec.Signing.Verification;

namespace Pec.Gateway.Flows;

/// <summary>
/// Seals an unsigned payload with the platform seal, for flow types that ask for it (<c>sealUnsigned</c>)
/// when the sender's authentication meets the flow type's level: an XML payload gets an enveloped XAdES
/// signature and travels sealed; another payload travels unchanged with a detached CAdES signature.
/// </summary>
internal sealed class UnsignedPayloadSealing(PayloadSealer sealer, PlatformSeal seal, PayloadStore store, IOptions<ClientAuthOptions> clientAuth, TimeProvider timeProvider)
{
    /// <summary>Tells whether PEC may seal this flow type's unsigned payloads for a sender authenticated by its client certificate.</summary>
    public bool Applies(FlowType flowType) =>
        flowType.SealUnsigned
        && Rank(clientAuth.Value.CertificateLevel) >= Rank(flowType.SignatureLevel);

    private static int Rank(string level) => SignatureLevels.Ordered.ToList().IndexOf(level);

    public async Task<(StoredPayload Payload, SignatureEvidence Evidence)> SealAsync(
        FlowType flowType, string mediaType, StoredPayload original, CancellationToken cancellationToken)
    {
        byte[] content;
        await using (var stream = store.OpenRead(original.Sha256Hex)!)
        {
            content = new byte[original.Size];
            await stream.ReadExactlyAsync(content, cancellationToken);
        }

        var sealedPayload = sealer.Seal(content, mediaType);
        StoredPayload payload;
        string? detachedSeal = null;
        if (sealedPayload.Format == PayloadSealFormat.XadesEnveloped)
        {
            payload = await store.WriteAsync(new MemoryStream(sealedPayload.Content), long.MaxValue, cancellationToken);
        }
        else
        {
            payload = original;
            detachedSeal = (await store.WriteAsync(new MemoryStream(sealedPayload.Content), long.MaxValue, cancellationToken)).Sha256Hex;
        }

        var certificate = seal.Certificate;
        var now = timeProvider.GetUtcNow();
        var evidence = new SignatureEvidence(
            flowType.SignatureLevel, certificate.Subject, certificate.Issuer, Convert.ToHexStringLower(certificate.SerialNumberBytes.Span),
            Convert.ToHexStringLower(certificate.GetCertHash(System.Security.Cryptography.HashAlgorithmName.SHA256)),
            seal.SignatureMethod, ["http://www.w3.org/2001/04/xmlenc#sha256"], now, now,
            SealedByPlatform: true, OriginalSha256: original.Sha256Hex, DetachedSealSha256: detachedSeal);
        return (payload, evidence);
    }
}
