namespace Pec.Signing.Sealing;

/// <summary>XAdES 1.3.2 names (ETSI EN 319 132-1) used by the platform's baseline signatures.</summary>
internal static class XadesNames
{
    public const string Namespace = "http://uri.etsi.org/01903/v1.3.2#";
    public const string Prefix = "xades";
    public const string DsPrefix = "ds";

    /// <summary>The ds:Reference Type that marks the reference to xades:SignedProperties.</summary>
    public const string SignedPropertiesType = "http://uri.etsi.org/01903#SignedProperties";

    public const string QualifyingProperties = "QualifyingProperties";
    public const string Target = "Target";
    public const string SignedProperties = "SignedProperties";
    public const string SignedSignatureProperties = "SignedSignatureProperties";
    public const string SigningTime = "SigningTime";
    public const string SigningCertificateV2 = "SigningCertificateV2";
    public const string Cert = "Cert";
    public const string CertDigest = "CertDigest";
    public const string IssuerSerialV2 = "IssuerSerialV2";
    public const string UnsignedProperties = "UnsignedProperties";
    public const string UnsignedSignatureProperties = "UnsignedSignatureProperties";
    public const string SignatureTimeStamp = "SignatureTimeStamp";
    public const string EncapsulatedTimeStamp = "EncapsulatedTimeStamp";

    public const string Id = "Id";
    public const string CanonicalizationMethod = "CanonicalizationMethod";
    public const string DigestMethod = "DigestMethod";
    public const string DigestValue = "DigestValue";
    public const string Algorithm = "Algorithm";
    public const string SignatureValue = "SignatureValue";
    public const string Object = "Object";
    public const string SignatureElement = "Signature";
}
