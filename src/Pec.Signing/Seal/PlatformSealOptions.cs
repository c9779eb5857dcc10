using System.ComponentModel.DataAnnotations;

namespace Pec.Signing.Seal;

/// <summary>
/// Location of the platform seal used to sign PEC receipts, bound from the <c>Pec:Seal</c> configuration section.
/// </summary>
public sealed class PlatformSealOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Pec:Seal";

    /// <summary>
    /// Path of the PEM file holding the seal certificate (the first certificate in the file is used).
    /// The key must be RSA of at least 3072 bits or ECDSA on P-256, P-384 or P-521, and the certificate
    /// must carry the digitalSignature or nonRepudiation key usage.
    /// </summary>
    [Required(ErrorMessage = "Pec:Seal:CertificatePath is required (PEM certificate of the platform seal).")]
    public string CertificatePath { get; set; } = string.Empty;

    /// <summary>
    /// Path of the PEM file holding the matching private key, unencrypted, either PKCS#8
    /// (<c>BEGIN PRIVATE KEY</c>) or traditional (<c>BEGIN RSA PRIVATE KEY</c>, <c>BEGIN EC PRIVATE KEY</c>).
    /// </summary>
    [Required(ErrorMessage = "Pec:Seal:KeyPath is required (PEM private key of the platform seal).")]
    public string KeyPath { get; set; } = string.Empty;

    /// <summary>
    /// PEM certificate files of previous platform seals (certificates only, never keys), kept during a seal rollover
    /// so that receipts they sealed can still be recognized. May be empty; expired certificates are accepted here.
    /// </summary>
    public IList<string> PreviousCertificatePaths { get; } = new List<string>();
}
