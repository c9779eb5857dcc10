namespace Pec.Signing.Verification.Xades;

/// <summary>The signed XAdES properties the verifier uses.</summary>
/// <param name="SigningTime">SignedSignatureProperties/SigningTime, if present.</param>
/// <param name="CertificateDigests">CertDigest entries of SigningCertificate and SigningCertificateV2, in document order.</param>
internal sealed record XadesProperties(DateTimeOffset? SigningTime, IReadOnlyList<XadesCertificateDigest> CertificateDigests);

/// <summary>One xades:Cert/xades:CertDigest entry, as written.</summary>
internal sealed record XadesCertificateDigest(string DigestMethod, string DigestValueText);
