using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;

namespace Pec.Signing.Verification.Trust;

/// <summary>The loaded form of <see cref="SignaturePolicyOptions"/>: anchor certificates and CRLs read and checked.</summary>
internal sealed partial class SignaturePolicy
{
    private SignaturePolicy(IReadOnlyList<LevelRule> levels, CrlStore crls, X509Certificate2Collection tsaAnchors)
    {
        Levels = levels;
        Crls = crls;
        TsaAnchors = tsaAnchors;
    }

    /// <summary>Configured levels, lowest rank first.</summary>
    public IReadOnlyList<LevelRule> Levels { get; }

    public CrlStore Crls { get; }

    /// <summary>CAs of trusted TSAs; empty when XAdES time-stamps are ignored.</summary>
    public X509Certificate2Collection TsaAnchors { get; }

    /// <summary>Loads every anchor and CRL file of <paramref name="options"/>.</summary>
    /// <exception cref="InvalidOperationException">A level name, file or OID is invalid; the message names the setting.</exception>
    public static SignaturePolicy Load(SignaturePolicyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var section = SignaturePolicyOptions.SectionName;

        var levels = new List<LevelRule>();
        foreach (var (name, level) in options.Levels)
        {
            var rank = SignatureLevels.Rank(name);
            if (rank <= 0)
            {
                throw new InvalidOperationException(
                    $"{section}:Levels has the unknown level '{name}'; expected {SignatureLevels.RgsOneStar}, " +
                    $"{SignatureLevels.RgsTwoStars} or {SignatureLevels.RgsThreeStars}.");
            }

            if (level.Anchors.Count == 0)
            {
                throw new InvalidOperationException($"{section}:Levels:{name}:Anchors is empty; give at least one anchor certificate.");
            }

            var anchors = level.Anchors
                .Select((anchor, index) => LoadAnchor(anchor, $"{section}:Levels:{name}:Anchors:{index}"))
                .ToList();
            levels.Add(new LevelRule(name, rank, anchors, level.RequireNonRepudiation, level.RequireRevocationCheck));
        }

        var crls = options.CrlPaths
            .Select((path, index) => string.IsNullOrWhiteSpace(path)
                ? throw new InvalidOperationException($"{section}:CrlPaths:{index} is empty.")
                : CertificateRevocationList.Load(path))
            .ToList();

        var tsaAnchors = new X509Certificate2Collection();
        for (var index = 0; index < options.TsaAnchorPaths.Count; index++)
        {
            var path = options.TsaAnchorPaths[index];
            if (string.IsNullOrWhiteSpace(path))
            {
                throw new InvalidOperationException($"{section}:TsaAnchorPaths:{index} is empty.");
            }

            tsaAnchors.AddRange(LoadCertificates(path, $"{section}:TsaAnchorPaths:{index}"));
        }

        return new SignaturePolicy(levels.OrderBy(level => level.Rank).ToList(), new CrlStore(crls), tsaAnchors);
    }

    /// <summary>
    /// A policy with <paramref name="anchor"/> as its only anchor, under the single pseudo-level <c>pinned</c>. The
    /// signer needs nonRepudiation; revocation is checked with <paramref name="crls"/> where they apply but not required,
    /// because the caller vouches for the pinned certificate.
    /// </summary>
    public static SignaturePolicy Pinned(X509Certificate2 anchor, CrlStore crls, X509Certificate2Collection tsaAnchors)
    {
        var trustAnchor = new TrustAnchor(anchor, new HashSet<string>(), $"pinned certificate '{anchor.Subject}'");
        return new SignaturePolicy([new LevelRule("pinned", 1, [trustAnchor], RequireNonRepudiation: true, RequireRevocationCheck: false)], crls, tsaAnchors);
    }

    private static TrustAnchor LoadAnchor(TrustAnchorOptions anchor, string setting)
    {
        if (string.IsNullOrWhiteSpace(anchor.CertificatePath))
        {
            throw new InvalidOperationException($"{setting}:CertificatePath is empty.");
        }

        foreach (var oid in anchor.PolicyOids)
        {
            if (oid is null || !DottedOid().IsMatch(oid))
            {
                throw new InvalidOperationException($"{setting}:PolicyOids has '{oid}', which is not an OID in dotted form (digits separated by dots).");
            }
        }

        var certificate = LoadCertificate(anchor.CertificatePath, setting);
        return new TrustAnchor(certificate, anchor.PolicyOids.ToHashSet(StringComparer.Ordinal), $"anchor '{certificate.Subject}' ({setting})");
    }

    private static X509Certificate2 LoadCertificate(string path, string setting)
    {
        try
        {
            var bytes = File.ReadAllBytes(path);
            var text = System.Text.Encoding.ASCII.GetString(bytes);
            if (!text.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
            {
                return X509CertificateLoader.LoadCertificate(bytes);
            }

            var certificates = new X509Certificate2Collection();
            certificates.ImportFromPem(text);
            if (certificates.Count != 1)
            {
                throw new InvalidOperationException(
                    $"{setting}:CertificatePath '{path}' contains {certificates.Count} certificates; give one anchor per entry.");
            }

            return certificates[0];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException or CryptographicException)
        {
            throw new InvalidOperationException(
                $"{setting}:CertificatePath '{path}' cannot be read as a PEM or DER certificate: {ex.Message}", ex);
        }
    }

    /// <summary>Reads every certificate of a PEM file, or the one certificate of a DER file.</summary>
    private static X509Certificate2Collection LoadCertificates(string path, string setting)
    {
        try
        {
            var bytes = File.ReadAllBytes(path);
            var text = System.Text.Encoding.ASCII.GetString(bytes);
            var certificates = new X509Certificate2Collection();
            if (text.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
            {
                certificates.ImportFromPem(text);
            }
            else
            {
                certificates.Add(X509CertificateLoader.LoadCertificate(bytes));
            }

            return certificates;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException or CryptographicException)
        {
            throw new InvalidOperationException($"{setting} '{path}' cannot be read as PEM or DER certificates: {ex.Message}", ex);
        }
    }

    [GeneratedRegex(@"^[0-2](\.(0|[1-9][0-9]*))+$", RegexOptions.CultureInvariant)]
    private static partial Regex DottedOid();
}
