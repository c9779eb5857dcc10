using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Pec.Signing.Verification.Cades;

/// <summary>
/// Checks the ESS signing-certificate attributes (RFC 2634 v1, RFC 5035 v2) against the signer certificate. Both
/// name the signer in their first ESSCertID. Later entries may name its CAs and are not compared.
/// </summary>
internal static class SigningCertificateAttribute
{
    public const string V1Oid = "1.2.840.113549.1.9.16.2.12";
    public const string V2Oid = "1.2.840.113549.1.9.16.2.47";

    private const string Sha256Oid = "2.16.840.1.101.3.4.2.1";

    /// <summary>Requires the first ESSCertID of <paramref name="attributeValue"/> to hash to <paramref name="signer"/>.</summary>
    /// <exception cref="SignatureRejection">
    /// <c>signing-certificate-mismatch</c>; <c>weak-algorithm</c> or <c>unsupported-signature</c> for the v2 hash
    /// algorithm; <c>malformed-signature</c> when the value is not DER.
    /// </exception>
    public static void Check(string oid, ReadOnlyMemory<byte> attributeValue, X509Certificate2 signer)
    {
        var (hash, expected) = ReadFirstCertificateHash(oid, attributeValue);
        var actual = CryptographicOperations.HashData(hash, signer.RawData);
        if (!CryptographicOperations.FixedTimeEquals(actual, expected))
        {
            var name = oid == V2Oid ? "signing-certificate-v2" : "signing-certificate";
            throw new SignatureRejection(
                SignatureReasons.SigningCertificateMismatch,
                $"The signed {name} attribute names another certificate than the one that verified the signature ('{signer.Subject}').");
        }
    }

    private static (HashAlgorithmName Hash, byte[] CertHash) ReadFirstCertificateHash(string oid, ReadOnlyMemory<byte> value)
    {
        try
        {
            // SigningCertificate(V2) ::= SEQUENCE { certs SEQUENCE OF ESSCertID(v2), policies SEQUENCE OF ... OPTIONAL }
            var attribute = new AsnReader(value, AsnEncodingRules.DER).ReadSequence();
            var certs = attribute.ReadSequence();
            var first = certs.ReadSequence();

            var hash = HashAlgorithmName.SHA1;
            if (oid == V2Oid)
            {
                // ESSCertIDv2 ::= SEQUENCE { hashAlgorithm AlgorithmIdentifier DEFAULT sha256, certHash OCTET STRING, ... }
                hash = HashAlgorithmName.SHA256;
                if (first.PeekTag().HasSameClassAndValue(Asn1Tag.Sequence))
                {
                    var algorithm = first.ReadSequence();
                    var algorithmOid = algorithm.ReadObjectIdentifier();
                    hash = algorithmOid == Sha256Oid ? HashAlgorithmName.SHA256 : CmsAlgorithms.GetDigest(algorithmOid).Hash;
                }
            }

            // ESSCertID (v1) ::= SEQUENCE { certHash OCTET STRING (SHA-1), issuerSerial IssuerSerial OPTIONAL }. SHA-1
            // is accepted here only, as for XAdES CertDigest: it names a certificate that the verifier already has and compares in full.
            return (hash, first.ReadOctetString());
        }
        catch (AsnContentException ex)
        {
            throw new SignatureRejection(SignatureReasons.MalformedSignature, $"The signed attribute {oid} is not a valid ESS signing certificate: {ex.Message}");
        }
    }
}
