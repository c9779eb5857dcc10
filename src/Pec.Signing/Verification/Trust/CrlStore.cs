using System.Security.Cryptography.X509Certificates;

namespace Pec.Signing.Verification.Trust;

/// <summary>The configured CRLs, checked offline: nothing is downloaded, even when certificates name CRL distribution points.</summary>
internal sealed class CrlStore
{
    public CrlStore(IReadOnlyList<CertificateRevocationList> lists)
    {
        Lists = lists;
    }

    public static CrlStore Empty { get; } = new([]);

    public IReadOnlyList<CertificateRevocationList> Lists { get; }

    /// <summary>
    /// Checks <paramref name="certificate"/> against every CRL from <paramref name="issuer"/> that is current at
    /// <paramref name="at"/>. A listed certificate counts as revoked whatever its revocation date: the XAdES
    /// SigningTime is the signer's own claim, not a timestamp, so it cannot prove the signature predates revocation.
    /// </summary>
    public RevocationStatus Check(X509Certificate2 certificate, X509Certificate2 issuer, DateTimeOffset at, out string detail)
    {
        var usable = 0;
        foreach (var list in Lists)
        {
            if (!list.Issuer.Span.SequenceEqual(certificate.IssuerName.RawData)
                || list.ThisUpdate > at
                || list.NextUpdate < at
                || !list.IsSignedBy(issuer))
            {
                continue;
            }

            usable++;
            if (list.TryGetRevocation(certificate.SerialNumberBytes.Span, out var revokedAt))
            {
                detail = $"The certificate '{certificate.Subject}' was revoked on {revokedAt:O} (CRL '{list.Source}').";
                return RevocationStatus.Revoked;
            }
        }

        if (usable == 0)
        {
            detail = $"No configured CRL from '{issuer.Subject}' is signed by it and current at {at:O}, so the revocation of '{certificate.Subject}' cannot be checked.";
            return RevocationStatus.Unknown;
        }

        detail = string.Empty;
        return RevocationStatus.Good;
    }
}
