using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Pec.Signing.Timestamping;

/// <summary>Loads TSA trust anchors and chains a TSA certificate to them: no machine store, no downloads.</summary>
internal static class TsaTrust
{
    /// <summary>id-kp-timeStamping (RFC 3161, 2.3): the only extended key usage a TSA certificate may carry.</summary>
    public const string TimeStampingOid = "1.3.6.1.5.5.7.3.8";

    /// <exception cref="InvalidOperationException">The file cannot be read or holds no PEM certificate.</exception>
    public static X509Certificate2Collection LoadAnchors(string path)
    {
        var anchors = new X509Certificate2Collection();
        try
        {
            anchors.ImportFromPemFile(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new InvalidOperationException($"Cannot read the TSA trust anchors file '{path}': {ex.Message}", ex);
        }

        if (anchors.Count == 0)
        {
            throw new InvalidOperationException($"The TSA trust anchors file '{path}' contains no PEM certificate.");
        }

        return anchors;
    }

    /// <summary>
    /// Returns why <paramref name="tsaCertificate"/> is not a trusted TSA at <paramref name="at"/> (the token's time),
    /// or null when it chains to one of <paramref name="anchors"/> with the timeStamping extended key usage.
    /// </summary>
    public static string? FindChainProblem(X509Certificate2 tsaCertificate, X509Certificate2Collection anchors, DateTimeOffset at)
    {
        using var chain = new X509Chain();
        var policy = chain.ChainPolicy;
        policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        policy.CustomTrustStore.AddRange(anchors);
        // Revocation is not checked: no CRL or OCSP source is configured for TSAs.
        policy.RevocationMode = X509RevocationMode.NoCheck;
        policy.DisableCertificateDownloads = true;
        policy.ApplicationPolicy.Add(new Oid(TimeStampingOid));
        policy.VerificationTime = at.UtcDateTime;

        try
        {
            if (chain.Build(tsaCertificate))
            {
                return null;
            }

            var statuses = string.Join("; ", chain.ChainStatus.Select(s => $"{s.Status}: {s.StatusInformation.Trim()}"));
            return $"The TSA certificate '{tsaCertificate.Subject}' does not chain to a trusted TSA anchor with the timeStamping usage ({statuses}).";
        }
        finally
        {
            foreach (var element in chain.ChainElements)
            {
                if (!ReferenceEquals(element.Certificate, tsaCertificate))
                {
                    element.Certificate.Dispose();
                }
            }
        }
    }
}
