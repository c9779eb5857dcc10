using System.Security.Cryptography.X509Certificates;
using Pec.Signing.Verification;

namespace Pec.Signing.Tests.Verification.Support;

/// <summary>One row of the generated-input table: how to build the payload and the verdict the verifier must give.</summary>
public sealed record HostileCase
{
    public required Func<TestPolicy, byte[]> Build { get; init; }

    /// <summary>Expected reason, or null when the payload must be accepted.</summary>
    public required string? Reason { get; init; }

    public string Level { get; init; } = SignatureLevels.RgsOneStar;

    /// <summary>Changes to the default options (one CA per level, every CRL).</summary>
    public Action<TestPolicy, SignaturePolicyOptions>? Configure { get; init; }

    public DateTimeOffset? At { get; init; }

    /// <summary>For accepted payloads: the CA xmlsec1 must verify the payload with; null when xmlsec1 lacks the algorithm.</summary>
    public Func<TestPolicy, X509Certificate2>? XmlSecTrustedCa { get; init; }
}
