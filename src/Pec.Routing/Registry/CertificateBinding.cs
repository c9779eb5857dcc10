namespace Pec.Routing.Registry;

/// <summary>A registered authentication certificate and the administration it identifies.</summary>
public sealed record CertificateBinding(Administration Administration, DateTimeOffset? RevokedAt);
