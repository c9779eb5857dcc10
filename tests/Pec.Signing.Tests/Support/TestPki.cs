using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Pec.Signing.Tests.Support;

/// <summary>Builds a small CA and seal certificates in process, the way an operator's PKI would.</summary>
public static class TestPki
{
    public const X509KeyUsageFlags SealUsage = X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation;

    // xmlsec1 checks validity dates with the wall clock: start a few minutes in the past to absorb clock skew.
    private static DateTimeOffset NotBefore => TimeProvider.System.GetUtcNow().AddMinutes(-5);

    private static DateTimeOffset SealNotAfter => TimeProvider.System.GetUtcNow().AddDays(2);

    // Outlives any seal it issues: CertificateRequest refuses a seal valid after its issuer.
    private static DateTimeOffset CaNotAfter => TimeProvider.System.GetUtcNow().AddDays(30);

    public static X509Certificate2 CreateCa(string commonName, SealKeyKind kind)
    {
        using var key = CreateKey(kind);
        var request = CreateRequest($"CN={commonName}, O=PEC Tests, C=FR", key);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(
            new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(NotBefore, CaNotAfter);
    }

    /// <summary>An intermediate CA issued by <paramref name="root"/>, with its private key.</summary>
    public static X509Certificate2 CreateIntermediateCa(X509Certificate2 root, string commonName)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}, O=PEC Tests, C=FR", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(
            new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(root, true, false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] = (byte)((serial[0] & 0x7F) | 0x40);
        using var publicOnly = request.Create(root, NotBefore, TimeProvider.System.GetUtcNow().AddDays(10), serial);
        return publicOnly.CopyWithPrivateKey(key);
    }

    public static X509Certificate2 CreateSeal(
        X509Certificate2 ca,
        SealKeyKind kind,
        X509KeyUsageFlags? keyUsage = SealUsage,
        string commonName = "PEC platform seal")
    {
        var (publicOnly, key) = CreateSealAndKey(ca, kind, keyUsage, commonName);
        using (publicOnly)
        using (key)
        {
            return key switch
            {
                RSA rsa => publicOnly.CopyWithPrivateKey(rsa),
                ECDsa ecdsa => publicOnly.CopyWithPrivateKey(ecdsa),
                _ => throw new InvalidOperationException("Unexpected key type."),
            };
        }
    }

    /// <summary>
    /// The certificate and its key apart: .NET will not pair an EC key with a keyAgreement-only certificate,
    /// but an operator can still put such files on disk.
    /// </summary>
    public static (X509Certificate2 Certificate, AsymmetricAlgorithm Key) CreateSealAndKey(
        X509Certificate2 ca,
        SealKeyKind kind,
        X509KeyUsageFlags? keyUsage = SealUsage,
        string commonName = "PEC platform seal")
    {
        var key = CreateKey(kind);
        var request = CreateRequest($"CN={commonName}, OU=Seal, O=PEC Tests, C=FR", key);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        if (keyUsage is { } usage)
        {
            request.CertificateExtensions.Add(new X509KeyUsageExtension(usage, true));
        }

        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));

        // Positive, minimally encoded serial number.
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] = (byte)((serial[0] & 0x7F) | 0x40);

        return (request.Create(ca, NotBefore, SealNotAfter, serial), key);
    }

    /// <summary>A CA and a seal issued by it, both of the given key kind.</summary>
    public static (X509Certificate2 Ca, X509Certificate2 Seal) CreateCaAndSeal(SealKeyKind kind, string caName = "PEC Test CA")
    {
        var ca = CreateCa(caName, CaKindFor(kind));
        return (ca, CreateSeal(ca, kind));
    }

    /// <summary>Writes the certificate and its private key as PEM (PKCS#8, or traditional when asked).</summary>
    public static (string CertificatePath, string KeyPath) WritePem(
        X509Certificate2 certificate, string directory, string name, bool traditionalKey = false)
    {
        using var key = (AsymmetricAlgorithm?)certificate.GetRSAPrivateKey() ?? certificate.GetECDsaPrivateKey()
            ?? throw new InvalidOperationException("The certificate has no private key.");
        return WritePem(certificate, key, directory, name, traditionalKey);
    }

    public static (string CertificatePath, string KeyPath) WritePem(
        X509Certificate2 certificate, AsymmetricAlgorithm key, string directory, string name, bool traditionalKey = false)
    {
        var certificatePath = Path.Combine(directory, $"{name}.crt");
        var keyPath = Path.Combine(directory, $"{name}.key");
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        var keyPem = key switch
        {
            RSA rsa => traditionalKey ? rsa.ExportRSAPrivateKeyPem() : rsa.ExportPkcs8PrivateKeyPem(),
            ECDsa ecdsa => traditionalKey ? ecdsa.ExportECPrivateKeyPem() : ecdsa.ExportPkcs8PrivateKeyPem(),
            _ => throw new InvalidOperationException("Unexpected key type."),
        };
        File.WriteAllText(keyPath, keyPem);
        return (certificatePath, keyPath);
    }

    public static string WriteCertificatePem(X509Certificate2 certificate, string path)
    {
        File.WriteAllText(path, certificate.ExportCertificatePem());
        return path;
    }

    private static SealKeyKind CaKindFor(SealKeyKind kind) =>
        kind is SealKeyKind.Rsa2048 or SealKeyKind.Rsa3072 ? SealKeyKind.Rsa3072 : SealKeyKind.EcdsaP256;

    private static AsymmetricAlgorithm CreateKey(SealKeyKind kind) => kind switch
    {
        SealKeyKind.Rsa2048 => RSA.Create(2048),
        SealKeyKind.Rsa3072 => RSA.Create(3072),
        SealKeyKind.EcdsaP256 => ECDsa.Create(ECCurve.NamedCurves.nistP256),
        SealKeyKind.EcdsaP384 => ECDsa.Create(ECCurve.NamedCurves.nistP384),
        SealKeyKind.EcdsaP521 => ECDsa.Create(ECCurve.NamedCurves.nistP521),
        SealKeyKind.EcdsaBrainpoolP256 => ECDsa.Create(ECCurve.NamedCurves.brainpoolP256r1),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private static CertificateRequest CreateRequest(string subject, AsymmetricAlgorithm key) => key switch
    {
        RSA rsa => new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
        ECDsa ecdsa => new CertificateRequest(subject, ecdsa, HashAlgorithmName.SHA256),
        _ => throw new InvalidOperationException("Unexpected key type."),
    };
}
