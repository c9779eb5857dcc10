using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Pec.Signing.Tests.Verification.Support;

/// <summary>Builds CAs, signer certificates and CRLs in process for the verifier tests.</summary>
public static class VerificationPki
{
    public const X509KeyUsageFlags SignerUsage = X509KeyUsageFlags.NonRepudiation | X509KeyUsageFlags.DigitalSignature;

    // xmlsec1 checks validity dates with the wall clock: start a few minutes in the past to absorb clock skew.
    public static DateTimeOffset Now => TimeProvider.System.GetUtcNow();

    public static X509Certificate2 CreateCa(string commonName, X509Certificate2? issuer = null)
    {
        using var key = RSA.Create(3072);
        var request = new CertificateRequest($"CN={commonName}, O=PEC Verification Tests, C=FR", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var notBefore = Now.AddDays(-400);
        var notAfter = Now.AddDays(400);
        if (issuer is null)
        {
            return request.CreateSelfSigned(notBefore, notAfter);
        }

        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
        // CertificateRequest refuses a certificate that outlives its issuer.
        using var publicOnly = request.Create(issuer, notBefore, notAfter.AddDays(-1), NewSerial());
        return publicOnly.CopyWithPrivateKey(key);
    }

    /// <summary>A signer certificate issued by <paramref name="ca"/>, with its private key.</summary>
    public static X509Certificate2 CreateSigner(
        X509Certificate2 ca,
        SignerKey keyKind,
        string commonName = "Agent signataire",
        X509KeyUsageFlags? keyUsage = SignerUsage,
        DateTimeOffset? notBefore = null,
        DateTimeOffset? notAfter = null,
        IEnumerable<string>? policyOids = null)
    {
        using var key = CreateKey(keyKind);
        var request = key switch
        {
            RSA rsa => new CertificateRequest($"CN={commonName}, O=PEC Verification Tests, C=FR", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            ECDsa ecdsa => new CertificateRequest($"CN={commonName}, O=PEC Verification Tests, C=FR", ecdsa, HashAlgorithmName.SHA256),
            _ => throw new InvalidOperationException("Unexpected key type."),
        };
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        if (keyUsage is { } usage)
        {
            request.CertificateExtensions.Add(new X509KeyUsageExtension(usage, true));
        }

        if (policyOids is not null)
        {
            request.CertificateExtensions.Add(CertificatePoliciesExtension(policyOids));
        }

        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));

        // The CAs are RSA; the generator overload lets an RSA CA issue ECDSA certificates.
        using var caKey = ca.GetRSAPrivateKey() ?? throw new InvalidOperationException("The test CAs have RSA keys.");
        var generator = X509SignatureGenerator.CreateForRSA(caKey, RSASignaturePadding.Pkcs1);
        using var publicOnly = request.Create(ca.SubjectName, generator, notBefore ?? Now.AddMinutes(-5), notAfter ?? Now.AddDays(30), NewSerial());
        return key switch
        {
            RSA rsa => publicOnly.CopyWithPrivateKey(rsa),
            ECDsa ecdsa => publicOnly.CopyWithPrivateKey(ecdsa),
            _ => throw new InvalidOperationException("Unexpected key type."),
        };
    }

    /// <summary>A CRL signed by <paramref name="ca"/> listing <paramref name="revoked"/>, current from one hour ago for a week.</summary>
    public static byte[] CreateCrl(X509Certificate2 ca, IEnumerable<X509Certificate2> revoked, DateTimeOffset? thisUpdate = null, DateTimeOffset? nextUpdate = null)
    {
        var builder = new CertificateRevocationListBuilder();
        foreach (var certificate in revoked)
        {
            builder.AddEntry(certificate, Now.AddMinutes(-1), X509RevocationReason.KeyCompromise);
        }

        var issued = thisUpdate ?? Now.AddHours(-1);
        return builder.Build(ca, 1, nextUpdate ?? issued.AddDays(7), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1, issued);
    }

    public static string WritePem(X509Certificate2 certificate, string path)
    {
        File.WriteAllText(path, certificate.ExportCertificatePem());
        return path;
    }

    private static X509Extension CertificatePoliciesExtension(IEnumerable<string> oids)
    {
        var writer = new System.Formats.Asn1.AsnWriter(System.Formats.Asn1.AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            foreach (var oid in oids)
            {
                using (writer.PushSequence())
                {
                    writer.WriteObjectIdentifier(oid);
                }
            }
        }

        return new X509Extension("2.5.29.32", writer.Encode(), critical: false);
    }

    private static AsymmetricAlgorithm CreateKey(SignerKey kind) => kind switch
    {
        SignerKey.Rsa1024 => RSA.Create(1024),
        SignerKey.Rsa2048 => RSA.Create(2048),
        SignerKey.Rsa3072 => RSA.Create(3072),
        SignerKey.EcdsaP256 => ECDsa.Create(ECCurve.NamedCurves.nistP256),
        SignerKey.EcdsaP384 => ECDsa.Create(ECCurve.NamedCurves.nistP384),
        SignerKey.EcdsaBrainpoolP256 => ECDsa.Create(ECCurve.NamedCurves.brainpoolP256r1),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private static byte[] NewSerial()
    {
        // Positive, minimally encoded serial number.
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] = (byte)((serial[0] & 0x7F) | 0x40);
        return serial;
    }
}
