namespace Pec.Signing.Verification;

/// <summary>One trust anchor of a signature level.</summary>
public sealed class TrustAnchorOptions
{
    /// <summary>Path of the anchor certificate, PEM or DER. A PEM file must contain exactly one certificate.</summary>
    public string CertificatePath { get; set; } = string.Empty;

    /// <summary>
    /// Certificate policy OIDs (dotted form). When not empty, a chain ending at this anchor is accepted only if the
    /// signer certificate's certificatePolicies extension lists at least one of them.
    /// </summary>
    public IList<string> PolicyOids { get; } = [];
}
