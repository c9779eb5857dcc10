using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Pec.Signing.Verification;

/// <summary>The certificate whose key verified a signature.</summary>
public sealed class SignerIdentity
{
    internal SignerIdentity(X509Certificate2 certificate)
    {
        Certificate = certificate;
        Subject = certificate.Subject;
        Issuer = certificate.Issuer;
        // SerialNumberBytes is big-endian, the order people read serial numbers in.
        SerialNumberHex = Convert.ToHexStringLower(certificate.SerialNumberBytes.Span);
        Sha256Fingerprint = Convert.ToHexStringLower(certificate.GetCertHash(HashAlgorithmName.SHA256));
    }

    /// <summary>The signer certificate, as read from KeyInfo.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>Subject distinguished name.</summary>
    public string Subject { get; }

    /// <summary>Issuer distinguished name.</summary>
    public string Issuer { get; }

    /// <summary>Serial number, lowercase hexadecimal, big-endian.</summary>
    public string SerialNumberHex { get; }

    /// <summary>SHA-256 of the DER certificate, lowercase hexadecimal.</summary>
    public string Sha256Fingerprint { get; }
}
