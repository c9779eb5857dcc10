using System.Security.Cryptography.X509Certificates;

namespace Pec.Signing.Receipts;

/// <summary>Chains a signer certificate to caller-given CAs only: no machine store, no downloads.</summary>
internal static class TrustChain
{
    /// <summary>Returns why <paramref name="signer"/> is not trusted at <paramref name="at"/>, or null when it is.</summary>
    public static string? FindProblem(X509Certificate2 signer, X509Certificate2Collection trustedCertificateAuthorities, DateTimeOffset at)
    {
        using var chain = new X509Chain();
        var policy = chain.ChainPolicy;
        policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        // Intermediate CAs may be given too; .NET then builds through them to a given root.
        policy.CustomTrustStore.AddRange(trustedCertificateAuthorities);
        // Revocation is not checked yet (no CRL/OCSP infrastructure decided for PEC seals).
        policy.RevocationMode = X509RevocationMode.NoCheck;
        // Chain building must not fetch issuers from the network (AIA): trust comes from the given CAs only.
        policy.DisableCertificateDownloads = true;
        policy.VerificationTime = at.UtcDateTime;

        try
        {
            if (chain.Build(signer))
            {
                return null;
            }

            var statuses = string.Join("; ", chain.ChainStatus.Select(s => $"{s.Status}: {s.StatusInformation.Trim()}"));
            return $"The signer certificate '{signer.Subject}' does not chain to a trusted certificate authority ({statuses}).";
        }
        finally
        {
            // The chain hands out its own certificate instances; they are ours to release.
            foreach (var element in chain.ChainElements)
            {
                if (!ReferenceEquals(element.Certificate, signer))
                {
                    element.Certificate.Dispose();
                }
            }
        }
    }
}
