using System.Security.Cryptography.X509Certificates;
using Pec.Signing.Verification;

namespace Pec.Signing.Tests.Verification.Support;

/// <summary>
/// One PKI for the whole test run (RSA key generation is slow): a CA per RGS level with an up-to-date CRL each,
/// signers with good and bad properties, and an attacker CA that no configuration trusts. Never dispose these.
/// </summary>
public sealed class TestPolicy
{
    /// <summary>Test-only certificate policy OID (private enterprise arc), required by the policy tests.</summary>
    public const string PolicyOid = "1.3.6.1.4.1.55555.1.2.1";

    private static readonly Lazy<TestPolicy> Instance = new(() => new TestPolicy());

    private TestPolicy()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("pec-verification-tests-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => TryDelete(Directory);

        RgsOneStarCa = VerificationPki.CreateCa("PEC Test CA RGS 1 etoile");
        RgsTwoStarsCa = VerificationPki.CreateCa("PEC Test CA RGS 2 etoiles");
        RgsThreeStarsCa = VerificationPki.CreateCa("PEC Test CA RGS 3 etoiles");
        AttackerCa = VerificationPki.CreateCa("PEC Test CA RGS 1 etoile");

        Rsa3072 = VerificationPki.CreateSigner(RgsOneStarCa, SignerKey.Rsa3072);
        Rsa2048 = VerificationPki.CreateSigner(RgsOneStarCa, SignerKey.Rsa2048);
        Rsa1024 = VerificationPki.CreateSigner(RgsOneStarCa, SignerKey.Rsa1024);
        EcdsaP256 = VerificationPki.CreateSigner(RgsOneStarCa, SignerKey.EcdsaP256);
        EcdsaP384 = VerificationPki.CreateSigner(RgsOneStarCa, SignerKey.EcdsaP384);
        Brainpool = VerificationPki.CreateSigner(RgsOneStarCa, SignerKey.EcdsaBrainpoolP256);
        Expired = VerificationPki.CreateSigner(
            RgsOneStarCa, SignerKey.EcdsaP256, "Agent parti", notBefore: VerificationPki.Now.AddDays(-60), notAfter: VerificationPki.Now.AddDays(-1));
        NotYetValid = VerificationPki.CreateSigner(
            RgsOneStarCa, SignerKey.EcdsaP256, "Agent futur", notBefore: VerificationPki.Now.AddDays(1), notAfter: VerificationPki.Now.AddDays(30));
        Revoked = VerificationPki.CreateSigner(RgsOneStarCa, SignerKey.EcdsaP256, "Agent revoque");
        DigitalSignatureOnly = VerificationPki.CreateSigner(
            RgsOneStarCa, SignerKey.EcdsaP256, "Cachet serveur", keyUsage: System.Security.Cryptography.X509Certificates.X509KeyUsageFlags.DigitalSignature);
        WithPolicy = VerificationPki.CreateSigner(RgsOneStarCa, SignerKey.EcdsaP256, "Agent avec politique", policyOids: [PolicyOid]);
        RgsTwoStarsSigner = VerificationPki.CreateSigner(RgsTwoStarsCa, SignerKey.Rsa3072, "Agent RGS 2 etoiles");
        Attacker = VerificationPki.CreateSigner(AttackerCa, SignerKey.Rsa3072, "Agent signataire");

        RgsOneStarCaPath = PemPath(RgsOneStarCa, "rgs1-ca.pem");
        RgsTwoStarsCaPath = PemPath(RgsTwoStarsCa, "rgs2-ca.pem");
        RgsThreeStarsCaPath = PemPath(RgsThreeStarsCa, "rgs3-ca.pem");
        RgsOneStarCrlPath = Write("rgs1.crl", VerificationPki.CreateCrl(RgsOneStarCa, [Revoked]));
        CrlPaths =
        [
            RgsOneStarCrlPath,
            Write("rgs2.crl", VerificationPki.CreateCrl(RgsTwoStarsCa, [])),
            Write("rgs3.crl", VerificationPki.CreateCrl(RgsThreeStarsCa, [])),
        ];
    }

    public static TestPolicy Shared => Instance.Value;

    public string Directory { get; }

    public X509Certificate2 RgsOneStarCa { get; }

    public X509Certificate2 RgsTwoStarsCa { get; }

    public X509Certificate2 RgsThreeStarsCa { get; }

    /// <summary>Self-signed, with the same subject name as <see cref="RgsOneStarCa"/> but another key.</summary>
    public X509Certificate2 AttackerCa { get; }

    public X509Certificate2 Rsa3072 { get; }

    public X509Certificate2 Rsa2048 { get; }

    public X509Certificate2 Rsa1024 { get; }

    public X509Certificate2 EcdsaP256 { get; }

    public X509Certificate2 EcdsaP384 { get; }

    public X509Certificate2 Brainpool { get; }

    public X509Certificate2 Expired { get; }

    public X509Certificate2 NotYetValid { get; }

    /// <summary>Listed in the RGS* CA's CRL.</summary>
    public X509Certificate2 Revoked { get; }

    public X509Certificate2 DigitalSignatureOnly { get; }

    public X509Certificate2 WithPolicy { get; }

    public X509Certificate2 RgsTwoStarsSigner { get; }

    /// <summary>Issued by <see cref="AttackerCa"/>, with the same subject name as the honest signers.</summary>
    public X509Certificate2 Attacker { get; }

    public string RgsOneStarCaPath { get; }

    public string RgsTwoStarsCaPath { get; }

    public string RgsThreeStarsCaPath { get; }

    public string RgsOneStarCrlPath { get; }

    public IReadOnlyList<string> CrlPaths { get; }

    /// <summary>Options with one CA per level and every CRL; <paramref name="configure"/> may change them.</summary>
    public SignaturePolicyOptions Options(Action<SignaturePolicyOptions>? configure = null)
    {
        var options = new SignaturePolicyOptions();
        options.Levels[SignatureLevels.RgsOneStar] = Level(RgsOneStarCaPath);
        options.Levels[SignatureLevels.RgsTwoStars] = Level(RgsTwoStarsCaPath);
        options.Levels[SignatureLevels.RgsThreeStars] = Level(RgsThreeStarsCaPath);
        foreach (var path in CrlPaths)
        {
            options.CrlPaths.Add(path);
        }

        configure?.Invoke(options);
        return options;
    }

    public XmlSignatureVerifier Verifier(Action<SignaturePolicyOptions>? configure = null) =>
        new(Options(configure), TimeProvider.System);

    /// <summary>A level with the anchor file at <paramref name="anchorPath"/>, requiring <paramref name="policyOids"/>.</summary>
    public static SignatureLevelOptions Level(string anchorPath, params string[] policyOids)
    {
        var level = new SignatureLevelOptions();
        var anchorOptions = new TrustAnchorOptions { CertificatePath = anchorPath };
        foreach (var oid in policyOids)
        {
            anchorOptions.PolicyOids.Add(oid);
        }

        level.Anchors.Add(anchorOptions);
        return level;
    }

    /// <summary>Writes a PEM file once, from the constructor: tests in parallel must not rewrite files others read.</summary>
    private string PemPath(X509Certificate2 certificate, string fileName) =>
        VerificationPki.WritePem(certificate, Path.Combine(Directory, fileName));

    private string Write(string fileName, byte[] content)
    {
        var path = Path.Combine(Directory, fileName);
        File.WriteAllBytes(path, content);
        return path;
    }

    private static void TryDelete(string directory)
    {
        try
        {
            System.IO.Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // Leftovers in /tmp are harmless.
        }
    }
}
