using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Pec.Gateway.Tests.Infrastructure;

/// <summary>
/// A throw-away PKI written as PEM files, shaped like the development PKI of <c>ops/run</c>: a root CA,
/// the platform seal, the gateway's TLS certificate and one client certificate per administration.
/// It adds what the bad cases need: a rogue CA, an unregistered and a revoked certificate.
/// </summary>
public sealed class TestPki : IDisposable
{
    public const string Unregistered = "UNREGISTERED";
    public const string Revoked = "DILA-REVOKED";
    public const string Rogue = "ROGUE";
    public const string Operator = "OPERATOR";

    /// <summary>Agents' signing certificates (nonRepudiation), by name; <c>REVOKED-SIGNER</c> is listed in <c>ca.crl</c>.</summary>
    public const string RevokedSigner = "REVOKED-SIGNER";

    /// <summary>A signing certificate with digitalSignature only, which an RGS signature does not accept.</summary>
    public const string NoNonRepudiationSigner = "NO-NON-REPUDIATION";

    private static readonly string[] Signers = ["COMMUNE-214400152", "COMMUNE-06088", RevokedSigner, NoNonRepudiationSigner];
    private readonly Dictionary<string, X509Certificate2> _signers = new(StringComparer.Ordinal);

    private static readonly string[] Administrations = ["DILA", "COMMUNE-06088", "COMMUNE-214400152", "PREF-44", "AUDIT", "EXPLOITATION", Operator, Unregistered, Revoked];
    private readonly Dictionary<string, X509Certificate2> _clients = new(StringComparer.Ordinal);

    public TestPki()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("pec-test-pki-").FullName;
        var now = TimeProvider.System.GetUtcNow().AddMinutes(-5);
        using var caKey = RSA.Create(3072);
        Ca = CreateCa("PEC Test Root CA", caKey, now);
        WritePem("ca.crt", Ca.ExportCertificatePem());

        using var sealKey = RSA.Create(3072);
        var seal = Issue(new CertificateRequest("CN=PEC Cachet Serveur (test), O=PEC", sealKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation, eku: null, san: null, now);
        WritePem("seal.crt", seal.ExportCertificatePem());
        WritePem("seal.key", sealKey.ExportPkcs8PrivateKeyPem());

        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        san.AddDnsName("localhost");
        var server = Issue(new CertificateRequest("CN=localhost", serverKey, HashAlgorithmName.SHA256),
            X509KeyUsageFlags.DigitalSignature, "1.3.6.1.5.5.7.3.1", san.Build(), now);
        WritePem("gateway.crt", server.ExportCertificatePem());
        WritePem("gateway.key", serverKey.ExportPkcs8PrivateKeyPem());

        // PEC's own client certificate for mutual TLS towards push recipients.
        using var deliveryKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var delivery = Issue(new CertificateRequest("CN=PEC Distribution (test), O=PEC", deliveryKey, HashAlgorithmName.SHA256),
            X509KeyUsageFlags.DigitalSignature, "1.3.6.1.5.5.7.3.2", san: null, now);
        WritePem("delivery.crt", delivery.ExportCertificatePem());
        WritePem("delivery.key", deliveryKey.ExportPkcs8PrivateKeyPem());

        // RFC 3161, 2.3: a TSA certificate carries only the timeStamping usage, marked critical.
        using var tsaKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var tsaRequest = new CertificateRequest("CN=PEC Horodatage (test), O=PEC", tsaKey, HashAlgorithmName.SHA256);
        tsaRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.8")], critical: true));
        using var tsa = Issue(tsaRequest, X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation, eku: null, san: null, now);
        WritePem("tsa.crt", tsa.ExportCertificatePem());
        WritePem("tsa.key", tsaKey.ExportPkcs8PrivateKeyPem());

        foreach (var id in Administrations)
        {
            _clients[id] = IssueClient(id, now, Ca, caKey);
            WritePem($"{id}.crt", _clients[id].ExportCertificatePem());
        }

        foreach (var id in Signers)
        {
            using var signerKey = RSA.Create(3072);
            var usage = id == NoNonRepudiationSigner ? X509KeyUsageFlags.DigitalSignature : X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation;
            using var signer = Issue(new CertificateRequest($"CN=Agent signataire {id}, O={id}", signerKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
                usage, eku: null, san: null, now);
            _signers[id] = signer.CopyWithPrivateKey(signerKey);
        }

        var crl = new CertificateRevocationListBuilder();
        crl.AddEntry(_signers[RevokedSigner], now, X509RevocationReason.KeyCompromise);
        File.WriteAllBytes(CrlPath, crl.Build(Ca, 1, now.AddDays(30), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1, now));

        using var rogueKey = RSA.Create(2048);
        using var rogueCa = CreateCa("Rogue CA", rogueKey, now);
        _clients[Rogue] = IssueClient("DILA", now, rogueCa, rogueKey);

        WriteHostileServerCertificates(now, caKey, rogueCa, rogueKey);

        X509Certificate2 Issue(CertificateRequest request, X509KeyUsageFlags usage, string? eku, X509Extension? san, DateTimeOffset notBefore) =>
            IssueWith(request, usage, eku, san, notBefore, Ca, caKey);
    }

    public string Directory { get; }

    public X509Certificate2 Ca { get; }

    public string CaPath => Path.Combine(Directory, "ca.crt");

    public string CrlPath => Path.Combine(Directory, "ca.crl");

    /// <summary>The signing certificate, with its private key, of an agent of <paramref name="id"/>.</summary>
    public X509Certificate2 Signer(string id) => _signers[id];

    public string PathOf(string fileName) => Path.Combine(Directory, fileName);

    /// <summary>The client certificate, with its private key, of an administration id or of <see cref="Rogue"/>.</summary>
    public X509Certificate2 Client(string id) => _clients[id];

    public static string Fingerprint(X509Certificate2 certificate) =>
        Convert.ToHexStringLower(certificate.GetCertHash(HashAlgorithmName.SHA256));

    public void Dispose()
    {
        foreach (var certificate in _clients.Values.Concat(_signers.Values))
        {
            certificate.Dispose();
        }

        Ca.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    /// <summary>
    /// Server certificates of hostile push recipients (<see cref="HostileRecipientServer"/>): one from
    /// the rogue CA, one for another host name, one with the clientAuth usage only, and one issued
    /// by an intermediate CA that the server sends along (<c>push-intermediate.crt</c>).
    /// </summary>
    private void WriteHostileServerCertificates(DateTimeOffset now, RSA caKey, X509Certificate2 rogueCa, RSA rogueKey)
    {
        const string ServerAuth = "1.3.6.1.5.5.7.3.1";
        const string ClientAuth = "1.3.6.1.5.5.7.3.2";
        WriteServer("push-other-ca", LoopbackSan(), ServerAuth, rogueCa, X509SignatureGenerator.CreateForRSA(rogueKey, RSASignaturePadding.Pkcs1));
        var otherName = new SubjectAlternativeNameBuilder();
        otherName.AddDnsName("other.invalid");
        WriteServer("push-wrong-name", otherName.Build(), ServerAuth, Ca, X509SignatureGenerator.CreateForRSA(caKey, RSASignaturePadding.Pkcs1));
        WriteServer("push-client-eku", LoopbackSan(), ClientAuth, Ca, X509SignatureGenerator.CreateForRSA(caKey, RSASignaturePadding.Pkcs1));

        using var intermediateKey = RSA.Create(2048);
        var request = new CertificateRequest("CN=PEC Test Intermediate CA", intermediateKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Ca, true, false));
        using var intermediate = request.Create(Ca.SubjectName, X509SignatureGenerator.CreateForRSA(caKey, RSASignaturePadding.Pkcs1), now, now.AddYears(1), Serial());
        WritePem("push-intermediate.crt", intermediate.ExportCertificatePem());
        WriteServer("push-via-intermediate", LoopbackSan(), ServerAuth, intermediate, X509SignatureGenerator.CreateForRSA(intermediateKey, RSASignaturePadding.Pkcs1));

        void WriteServer(string name, X509Extension san, string eku, X509Certificate2 issuer, X509SignatureGenerator generator)
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var leaf = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
            leaf.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
            leaf.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
            leaf.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(eku)], false));
            leaf.CertificateExtensions.Add(san);
            leaf.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
            using var certificate = leaf.Create(issuer.SubjectName, generator, now, now.AddMonths(6), Serial());
            WritePem($"{name}.crt", certificate.ExportCertificatePem());
            WritePem($"{name}.key", key.ExportPkcs8PrivateKeyPem());
        }

        static X509Extension LoopbackSan()
        {
            var san = new SubjectAlternativeNameBuilder();
            san.AddIpAddress(IPAddress.Loopback);
            return san.Build();
        }

        static byte[] Serial()
        {
            var serial = RandomNumberGenerator.GetBytes(16);
            serial[0] &= 0x7f;
            return serial;
        }
    }

    private static X509Certificate2 CreateCa(string name, RSA key, DateTimeOffset notBefore)
    {
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(notBefore, notBefore.AddYears(5));
    }

    private static X509Certificate2 IssueClient(string id, DateTimeOffset notBefore, X509Certificate2 ca, RSA caKey)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={id}, O=PEC test", key, HashAlgorithmName.SHA256);
        using var certificate = IssueWith(request, X509KeyUsageFlags.DigitalSignature, "1.3.6.1.5.5.7.3.2", san: null, notBefore, ca, caKey);
        using var withKey = certificate.CopyWithPrivateKey(key);

        // Round trip through PKCS#12 so the key is usable by SslStream on every platform.
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), password: null);
    }

    private static X509Certificate2 IssueWith(CertificateRequest request, X509KeyUsageFlags usage, string? eku, X509Extension? san, DateTimeOffset notBefore, X509Certificate2 ca, RSA caKey)
    {
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(usage, true));
        if (eku is not null)
        {
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(eku)], false));
        }

        if (san is not null)
        {
            request.CertificateExtensions.Add(san);
        }

        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        var generator = X509SignatureGenerator.CreateForRSA(caKey, RSASignaturePadding.Pkcs1);
        return request.Create(ca.SubjectName, generator, notBefore, notBefore.AddYears(1), serial);
    }

    private void WritePem(string name, string pem) => File.WriteAllText(Path.Combine(Directory, name), pem);
}
