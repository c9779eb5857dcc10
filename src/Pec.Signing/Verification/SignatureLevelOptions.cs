namespace Pec.Signing.Verification;

/// <summary>Trust anchors and certificate rules of one signature level.</summary>
public sealed class SignatureLevelOptions
{
    /// <summary>Certificates that make a chain acceptable for this level: root or intermediate CAs, or a pinned signer certificate.</summary>
    public IList<TrustAnchorOptions> Anchors { get; } = [];

    /// <summary>
    /// When true (the default), the signer certificate must carry the nonRepudiation key usage. When false,
    /// digitalSignature is enough, as for server seals ("cachets").
    /// </summary>
    public bool RequireNonRepudiation { get; set; } = true;

    /// <summary>
    /// When true (the default), every certificate of the chain below the anchor must be covered by a configured CRL
    /// from its issuer, current at the verification time. A chain without one is rejected as untrusted.
    /// </summary>
    public bool RequireRevocationCheck { get; set; } = true;
}
