using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography.Xml;

namespace Pec.Signing.Tests.Verification.Support;

/// <summary>How <see cref="DocumentSigner"/> signs a document; the defaults give an enveloped exclusive-C14N SHA-256 signature.</summary>
public sealed record SigningProfile
{
    /// <summary>Id of the ds:Signature element; null writes none. XAdES needs one.</summary>
    public string? SignatureId { get; init; } = DocumentSigner.SignatureId;

    /// <summary>SignatureMethod URI; null picks rsa-sha256 or ecdsa-sha256/384 from the key.</summary>
    public string? SignatureMethod { get; init; }

    public string DigestMethod { get; init; } = SignedXml.XmlDsigSHA256Url;

    public string Canonicalization { get; init; } = SignedXml.XmlDsigExcC14NTransformUrl;

    public string ReferenceUri { get; init; } = string.Empty;

    public int ReferenceCount { get; init; } = 1;

    public Func<Transform[]> Transforms { get; init; } =
        () => [new XmlDsigEnvelopedSignatureTransform(), new XmlDsigExcC14NTransform()];

    /// <summary>Certificates placed in KeyInfo; null puts the signer certificate alone.</summary>
    public IReadOnlyList<X509Certificate2>? KeyInfoCertificates { get; init; }

    /// <summary>Adds XAdES SignedProperties (SigningTime, SigningCertificateV2) and a reference to them.</summary>
    public bool Xades { get; init; }

    public DateTimeOffset? SigningTime { get; init; }

    /// <summary>The certificate the SigningCertificateV2 digest names; null names the signer.</summary>
    public X509Certificate2? XadesCertificate { get; init; }
}
