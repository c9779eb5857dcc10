using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Pec.Signing.Sealing;

/// <summary>
/// DER encodings of the ESS certificate identifiers (RFC 5035) that bind a signature to the signing certificate:
/// the XAdES IssuerSerialV2 value and the CAdES signing-certificate-v2 attribute.
/// </summary>
internal static class EssCertificateId
{
    /// <summary>OID of the id-aa-signingCertificateV2 signed attribute (RFC 5035).</summary>
    public const string SigningCertificateV2Oid = "1.2.840.113549.1.9.16.2.47";

    /// <summary>IssuerSerial ::= SEQUENCE { issuer GeneralNames, serialNumber CertificateSerialNumber }.</summary>
    public static byte[] EncodeIssuerSerial(X509Certificate2 certificate)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        WriteIssuerSerial(writer, certificate);
        return writer.Encode();
    }

    /// <summary>
    /// SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2 } with one ESSCertIDv2 for
    /// <paramref name="certificate"/>. The hash algorithm is SHA-256, the default, so it is omitted as DER requires.
    /// </summary>
    public static byte[] EncodeSigningCertificateV2(X509Certificate2 certificate)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        using (writer.PushSequence())
        using (writer.PushSequence())
        {
            writer.WriteOctetString(certificate.GetCertHash(HashAlgorithmName.SHA256));
            WriteIssuerSerial(writer, certificate);
        }

        return writer.Encode();
    }

    private static void WriteIssuerSerial(AsnWriter writer, X509Certificate2 certificate)
    {
        using (writer.PushSequence())
        {
            // GeneralNames with one directoryName [4]; Name is a CHOICE, so the tag is explicit.
            using (writer.PushSequence())
            using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 4, isConstructed: true)))
            {
                writer.WriteEncodedValue(certificate.IssuerName.RawData);
            }

            // SerialNumberBytes is the big-endian two's complement value as encoded in the certificate.
            writer.WriteInteger(certificate.SerialNumberBytes.Span);
        }
    }
}
