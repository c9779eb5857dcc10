using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using BenchmarkDotNet.Attributes;
using Pec.Signing.HttpSignatures;
using Pec.Signing.Receipts;
using Pec.Signing.Seal;
using Pec.Signing.Verification;

namespace Pec.Bench.Signing;

/// <summary>
/// Seals per second (receipt signing with the platform seal) and verifications per second (a sealed
/// receipt checked by the RGS verifier against its CA), for the two seal key types PEC accepts by default.
/// </summary>
[MemoryDiagnoser]
public class SigningBenchmarks : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pec-bench-signing-").FullName;
    private ReceiptSigner _signer = null!;
    private XmlSignatureVerifier _verifier = null!;
    private PlatformSeal _seal = null!;
    private ReceiptDocument _receipt = null!;
    private byte[] _signed = [];
    private HttpMessageSigner _requestSigner = null!;
    private Dictionary<string, string> _components = [];
    private (string Input, string Signature) _signedRequest;

    [Params("RSA-3072", "ECDSA-P256")]
    public string KeyType { get; set; } = "RSA-3072";

    [GlobalSetup]
    public void Setup()
    {
        var notBefore = DateTimeOffset.UtcNow.AddMinutes(-5);
        using var caKey = RSA.Create(3072);
        var caRequest = new CertificateRequest("CN=Bench CA", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var ca = caRequest.CreateSelfSigned(notBefore, notBefore.AddYears(1));
        var caPath = Path.Combine(_directory, "ca.pem");
        File.WriteAllText(caPath, ca.ExportCertificatePem());

        X509Certificate2 sealCertificate;
        var usage = new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation, true);
        if (KeyType == "RSA-3072")
        {
            var key = RSA.Create(3072);
            var request = new CertificateRequest("CN=Bench seal", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            request.CertificateExtensions.Add(usage);
            using var issued = request.Create(ca, notBefore, notBefore.AddMonths(6), [1, 2]);
            sealCertificate = issued.CopyWithPrivateKey(key);
        }
        else
        {
            var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest("CN=Bench seal", key, HashAlgorithmName.SHA256);
            request.CertificateExtensions.Add(usage);
            using var issued = request.Create(ca.SubjectName, X509SignatureGenerator.CreateForRSA(caKey, RSASignaturePadding.Pkcs1), notBefore, notBefore.AddMonths(6), [1, 2]);
            sealCertificate = issued.CopyWithPrivateKey(key);
        }

        _seal = new PlatformSeal(sealCertificate);
        _signer = new ReceiptSigner(_seal);
        var policy = new SignaturePolicyOptions();
        var level = new SignatureLevelOptions { RequireRevocationCheck = false };
        level.Anchors.Add(new TrustAnchorOptions { CertificatePath = caPath });
        policy.Levels[SignatureLevels.RgsOneStar] = level;
        _verifier = new XmlSignatureVerifier(policy, TimeProvider.System);
        _receipt = new ReceiptDocument(
            Guid.NewGuid(), ReceiptKind.Deposit, Guid.NewGuid(), "etat-civil.demande-acte", "DILA", ["COMMUNE-06088"],
            new PayloadDescription(new string('a', 64), 1387, "application/xml"), DateTimeOffset.UtcNow, DateTimeOffset.UtcNow);
        _signed = _signer.Sign(_receipt);
        if (!_verifier.Verify(_signed, SignatureLevels.RgsOneStar).IsValid)
        {
            throw new InvalidOperationException("The benchmark receipt does not verify.");
        }

        // The headers of one push request, as HttpsPushChannel signs them.
        _requestSigner = new HttpMessageSigner(_seal);
        _components = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["@method"] = "POST",
            ["@target-uri"] = "https://127.0.0.1:9443/inbox/PUSH-OK",
            ["content-digest"] = HttpSignatureBase.ContentDigest(SHA256.HashData(new byte[4096])),
            ["content-type"] = "application/xml",
            ["pec-flow-id"] = Guid.NewGuid().ToString(),
            ["pec-flow-type"] = "etat-civil.demande-acte",
            ["pec-sender"] = "DILA",
            ["pec-recipient"] = "COMMUNE-06088",
        };
        _signedRequest = _requestSigner.Sign(_components, DateTimeOffset.UtcNow);
        if (VerifyPushRequest() is not null)
        {
            throw new InvalidOperationException("The benchmark push request does not verify.");
        }
    }

    /// <summary>Signs the headers of one push request (RFC 9421), as each push attempt does.</summary>
    [Benchmark]
    public (string, string) SignPushRequest() => _requestSigner.Sign(_components, DateTimeOffset.UtcNow);

    /// <summary>Checks that signature as a recipient using <see cref="HttpMessageVerifier"/> would.</summary>
    [Benchmark]
    public string? VerifyPushRequest() =>
        HttpMessageVerifier.Verify(_signedRequest.Input, _signedRequest.Signature, _components, [_seal.Certificate], DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5));

    [Benchmark]
    public byte[] Seal() => _signer.Sign(_receipt);

    [Benchmark]
    public bool Verify() => _verifier.Verify(_signed, SignatureLevels.RgsOneStar).IsValid;

    [GlobalCleanup]
    public void Dispose()
    {
        _seal?.Dispose();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }

        GC.SuppressFinalize(this);
    }
}
