using System.Security.Cryptography.X509Certificates;

namespace Pec.Signing.Verification.Trust;

/// <summary>Builds the signer's chain to one anchor with X509Chain, trusting that anchor only: no machine store, no downloads.</summary>
internal static class ChainBuilder
{
    /// <summary>
    /// Returns the chain ending at <paramref name="anchor"/>, or null with the reason in <paramref name="problem"/>.
    /// Validity dates are not checked here (the caller checks them at the signing time, per certificate).
    /// </summary>
    public static CertificateChain? Build(
        X509Certificate2 signer, X509Certificate2 anchor, X509Certificate2Collection intermediates, DateTimeOffset at, out string problem)
    {
        problem = string.Empty;

        // A pinned end-entity certificate: X509Chain would report PartialChain, since it is not self-signed.
        if (signer.RawData.AsSpan().SequenceEqual(anchor.RawData))
        {
            return new CertificateChain(signer, [signer]);
        }

        using var chain = new X509Chain();
        var policy = chain.ChainPolicy;
        policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        policy.CustomTrustStore.Add(anchor);
        policy.ExtraStore.AddRange(intermediates);
        policy.RevocationMode = X509RevocationMode.NoCheck;
        policy.DisableCertificateDownloads = true;
        policy.VerificationFlags = X509VerificationFlags.IgnoreNotTimeValid;
        policy.VerificationTime = at.UtcDateTime;

        var built = chain.Build(signer);
        var elements = chain.ChainElements.Select(element => element.Certificate).ToList();
        var anchorIndex = elements.FindIndex(certificate => certificate.RawData.AsSpan().SequenceEqual(anchor.RawData));

        // X509Chain only ends a chain at a self-signed certificate. An intermediate CA given as anchor shows up inside a
        // chain reported as PartialChain (its issuer is unknown) or UntrustedRoot (its issuer came from KeyInfo);
        // the chain is then cut at the anchor, provided no link below it has a problem of its own.
        var accepted = anchorIndex >= 0 && (built || LinksBelowAreClean(chain, anchorIndex));
        if (accepted)
        {
            var kept = elements.Take(anchorIndex + 1).ToList();
            DisposeExcept(elements.Skip(anchorIndex + 1), signer);
            return new CertificateChain(signer, kept);
        }

        var statuses = chain.ChainStatus
            .Select(status => $"{status.Status}: {status.StatusInformation.Trim()}")
            .DefaultIfEmpty("no chain")
            .ToList();
        problem = $"the chain does not reach '{anchor.Subject}' ({string.Join("; ", statuses)})";
        DisposeExcept(elements, signer);
        return null;
    }

    private static bool LinksBelowAreClean(X509Chain chain, int anchorIndex)
    {
        for (var i = 0; i <= anchorIndex; i++)
        {
            foreach (var status in chain.ChainElements[i].ChainElementStatus)
            {
                var allowedAtAnchor = i == anchorIndex
                    && status.Status is X509ChainStatusFlags.PartialChain or X509ChainStatusFlags.UntrustedRoot;
                if (status.Status != X509ChainStatusFlags.NoError && !allowedAtAnchor)
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static void DisposeExcept(IEnumerable<X509Certificate2> certificates, X509Certificate2 signer)
    {
        foreach (var certificate in certificates)
        {
            if (!ReferenceEquals(certificate, signer))
            {
                certificate.Dispose();
            }
        }
    }
}
