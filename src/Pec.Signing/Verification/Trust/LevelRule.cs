namespace Pec.Signing.Verification.Trust;

/// <summary>The loaded form of one level of <see cref="SignaturePolicyOptions"/>.</summary>
/// <param name="Name">Level name, for example <c>RGS**</c>.</param>
/// <param name="Rank">Position in <see cref="SignatureLevels.Ordered"/>.</param>
/// <param name="Anchors">The level's own anchors.</param>
/// <param name="RequireNonRepudiation">Whether the signer needs nonRepudiation (otherwise digitalSignature suffices).</param>
/// <param name="RequireRevocationCheck">Whether each certificate below the anchor needs a usable CRL.</param>
internal sealed record LevelRule(
    string Name, int Rank, IReadOnlyList<TrustAnchor> Anchors, bool RequireNonRepudiation, bool RequireRevocationCheck);
