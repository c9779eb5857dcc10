using System.Security.Cryptography.X509Certificates;

namespace Pec.Signing.Verification.Trust;

/// <summary>A loaded anchor certificate and the certificate policies it requires of signers (empty: none required).</summary>
internal sealed record TrustAnchor(X509Certificate2 Certificate, IReadOnlySet<string> PolicyOids, string Source);
