using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Pec.Signing.Receipts;

/// <summary>The <c>SealCertificate</c> element: names the certificate inside the signed content, not only in KeyInfo.</summary>
internal sealed record SealCertificateInfo(string Subject, string Issuer, string SerialNumber, string Sha256)
{
    public static SealCertificateInfo From(X509Certificate2 certificate) => new(
        ReceiptXml.NormalizeLineBreaks(certificate.Subject),
        ReceiptXml.NormalizeLineBreaks(certificate.Issuer),
        // SerialNumberBytes is big-endian, the order people read serial numbers in.
        Convert.ToHexStringLower(certificate.SerialNumberBytes.Span),
        Convert.ToHexStringLower(certificate.GetCertHash(HashAlgorithmName.SHA256)));
}
