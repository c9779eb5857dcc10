using System.Security.Cryptography.X509Certificates;

namespace Pec.Signing.Verification.Trust;

/// <summary>
/// Decides which levels accept a signer certificate: chain to an anchor of the level, every certificate valid at the
/// signing time and not revoked, required certificate policies present, key usage allowed by the level.
/// </summary>
internal sealed class TrustEvaluator
{
    private readonly SignaturePolicy _policy;

    public TrustEvaluator(SignaturePolicy policy)
    {
        _policy = policy;
    }

    /// <param name="signer">The certificate whose key verified the signature.</param>
    /// <param name="intermediates">The other KeyInfo certificates, used only as chain candidates.</param>
    /// <param name="signingTime">Time at which every certificate of the chain must be valid.</param>
    /// <param name="verificationTime">Time at which the CRLs must be current.</param>
    /// <param name="requiredRank">Rank of the required level in <see cref="SignatureLevels.Ordered"/>.</param>
    public TrustDecision Evaluate(
        X509Certificate2 signer,
        X509Certificate2Collection intermediates,
        DateTimeOffset signingTime,
        DateTimeOffset verificationTime,
        int requiredRank)
    {
        var outcomes = new List<AnchorOutcome>();
        foreach (var level in _policy.Levels)
        {
            foreach (var anchor in level.Anchors)
            {
                outcomes.Add(EvaluateAnchor(level, anchor, signer, intermediates, signingTime, verificationTime));
            }
        }

        var met = outcomes.Where(o => o.Stage == AnchorStage.Accepted).MaxBy(o => o.Level.Rank);
        if (met is not null && met.Level.Rank >= requiredRank)
        {
            return new TrustDecision(met.Level.Name, null, met.Detail);
        }

        var closestAtRequired = Closest(outcomes.Where(o => o.Level.Rank >= requiredRank));
        if (closestAtRequired is { Stage: > AnchorStage.NotAnchored })
        {
            return new TrustDecision(met?.Level.Name, closestAtRequired.Reason, closestAtRequired.Detail);
        }

        if (met is not null)
        {
            return new TrustDecision(
                met.Level.Name,
                SignatureReasons.LevelNotMet,
                $"The signer '{signer.Subject}' is accepted by the anchors of {met.Level.Name} only; no anchor of a level at or above the required one accepts its chain.");
        }

        // Nothing accepts the signer: a problem found on the way to any anchor is more useful than "untrusted".
        var closest = Closest(outcomes);
        if (closest is null)
        {
            return new TrustDecision(null, SignatureReasons.UntrustedChain, "No trust anchor is configured for the required level or above.");
        }

        return new TrustDecision(null, closest.Reason, closest.Detail);
    }

    private static AnchorOutcome? Closest(IEnumerable<AnchorOutcome> outcomes) =>
        outcomes.OrderByDescending(o => o.Stage).FirstOrDefault();

    private AnchorOutcome EvaluateAnchor(
        LevelRule level,
        TrustAnchor anchor,
        X509Certificate2 signer,
        X509Certificate2Collection intermediates,
        DateTimeOffset signingTime,
        DateTimeOffset verificationTime)
    {
        using var chain = ChainBuilder.Build(signer, anchor.Certificate, intermediates, signingTime, out var chainProblem);
        if (chain is null)
        {
            return new AnchorOutcome(
                level, AnchorStage.NotAnchored, SignatureReasons.UntrustedChain,
                $"The signer '{signer.Subject}' does not chain to a trust anchor: {chainProblem}.");
        }

        var certificates = chain.Certificates;
        foreach (var certificate in certificates)
        {
            var notBefore = new DateTimeOffset(certificate.NotBefore.ToUniversalTime());
            var notAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime());
            if (signingTime < notBefore)
            {
                return new AnchorOutcome(
                    level, AnchorStage.TimeInvalid, SignatureReasons.CertificateNotYetValid,
                    $"The certificate '{certificate.Subject}' is valid from {notBefore:O}, after {signingTime:O}, when it had to be valid (the time-stamp time, else the signed SigningTime, else the verification time).");
            }

            if (signingTime > notAfter)
            {
                return new AnchorOutcome(
                    level, AnchorStage.TimeInvalid, SignatureReasons.CertificateExpired,
                    $"The certificate '{certificate.Subject}' expired on {notAfter:O}, before {signingTime:O}, when it had to be valid (the time-stamp time, else the signed SigningTime, else the verification time).");
            }
        }

        // The anchor itself is trusted by configuration; each certificate below it is checked against its issuer's CRLs.
        for (var i = 0; i < certificates.Count - 1; i++)
        {
            var status = _policy.Crls.Check(certificates[i], certificates[i + 1], verificationTime, out var revocationDetail);
            if (status == RevocationStatus.Revoked)
            {
                return new AnchorOutcome(level, AnchorStage.Revoked, SignatureReasons.CertificateRevoked, revocationDetail);
            }

            if (status == RevocationStatus.Unknown && level.RequireRevocationCheck)
            {
                return new AnchorOutcome(level, AnchorStage.RevocationUnknown, SignatureReasons.UntrustedChain, revocationDetail);
            }
        }

        if (anchor.PolicyOids.Count > 0 && !CertificatePolicies.Read(signer).Overlaps(anchor.PolicyOids))
        {
            return new AnchorOutcome(
                level, AnchorStage.PolicyMissing, SignatureReasons.PolicyNotAccepted,
                $"The {anchor.Source} of {level.Name} requires one of the certificate policies [{string.Join(", ", anchor.PolicyOids)}], " +
                $"which the signer certificate '{signer.Subject}' does not list.");
        }

        var keyUsageProblem = FindKeyUsageProblem(signer, level.RequireNonRepudiation);
        if (keyUsageProblem is not null)
        {
            return new AnchorOutcome(level, AnchorStage.KeyUsageMissing, SignatureReasons.KeyUsage, $"{keyUsageProblem} ({level.Name}).");
        }

        return new AnchorOutcome(
            level, AnchorStage.Accepted, string.Empty,
            $"The signer '{signer.Subject}' chains to the {anchor.Source} of {level.Name}.");
    }

    private static string? FindKeyUsageProblem(X509Certificate2 signer, bool requireNonRepudiation)
    {
        var keyUsage = signer.Extensions.OfType<X509KeyUsageExtension>().FirstOrDefault();
        if (keyUsage is null)
        {
            return $"The signer certificate '{signer.Subject}' has no key usage extension";
        }

        var required = requireNonRepudiation
            ? X509KeyUsageFlags.NonRepudiation
            : X509KeyUsageFlags.NonRepudiation | X509KeyUsageFlags.DigitalSignature;
        if ((keyUsage.KeyUsages & required) == 0)
        {
            var expected = requireNonRepudiation ? "nonRepudiation" : "nonRepudiation or digitalSignature";
            return $"The signer certificate '{signer.Subject}' has the key usage {keyUsage.KeyUsages}, without {expected}";
        }

        return null;
    }
}
