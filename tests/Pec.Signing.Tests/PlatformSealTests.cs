using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Pec.Signing.Seal;
using Pec.Signing.Tests.Support;

namespace Pec.Signing.Tests;

public sealed class PlatformSealTests
{
    private const string RsaSha256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
    private const string EcdsaSha256 = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256";

    public static TheoryData<SealKeyKind, bool, string> AcceptedKeys => new()
    {
        { SealKeyKind.Rsa3072, false, RsaSha256 },
        { SealKeyKind.Rsa3072, true, RsaSha256 },
        { SealKeyKind.EcdsaP256, false, EcdsaSha256 },
        { SealKeyKind.EcdsaP256, true, EcdsaSha256 },
        { SealKeyKind.EcdsaP384, false, EcdsaSha256 },
        { SealKeyKind.EcdsaP521, true, EcdsaSha256 },
    };

    [Theory]
    [MemberData(nameof(AcceptedKeys))]
    public void FromPemFiles_AcceptsStrongKeys(SealKeyKind kind, bool traditionalKey, string signatureMethod)
    {
        var (_, sealCertificate) = SharedPki.Get(kind);
        using var temp = new TempDirectory();
        var (certificatePath, keyPath) = TestPki.WritePem(sealCertificate, temp.Path, "seal", traditionalKey);

        using var seal = new PlatformSeal(new PlatformSealOptions { CertificatePath = certificatePath, KeyPath = keyPath });

        Assert.Equal(sealCertificate.Thumbprint, seal.Certificate.Thumbprint);
        Assert.True(seal.Certificate.HasPrivateKey);
        Assert.Equal(signatureMethod, seal.SignatureMethod);
    }

    [Fact]
    public void FromPemFiles_RejectsRsa2048_NamingTheKeyFile()
    {
        var (ca, _) = SharedPki.Get(SealKeyKind.Rsa3072);
        using var weak = TestPki.CreateSeal(ca, SealKeyKind.Rsa2048);
        using var temp = new TempDirectory();
        var (certificatePath, keyPath) = TestPki.WritePem(weak, temp.Path, "weak");

        var exception = Assert.Throws<InvalidOperationException>(
            () => new PlatformSeal(new PlatformSealOptions { CertificatePath = certificatePath, KeyPath = keyPath }));

        Assert.Contains(keyPath, exception.Message, StringComparison.Ordinal);
        Assert.Contains("RSA key of 2048 bits", exception.Message, StringComparison.Ordinal);
        Assert.Contains("at least 3072 bits", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(SealKeyKind.Rsa2048, "RSA key of 2048 bits")]
    [InlineData(SealKeyKind.EcdsaBrainpoolP256, "unsupported curve")]
    public void FromCertificate_RejectsWeakOrUnusualKeys(SealKeyKind kind, string expected)
    {
        var (ca, _) = SharedPki.Get(kind is SealKeyKind.Rsa2048 ? SealKeyKind.Rsa3072 : SealKeyKind.EcdsaP256);
        using var certificate = TestPki.CreateSeal(ca, kind);

        var exception = Assert.Throws<InvalidOperationException>(() => new PlatformSeal(certificate));

        Assert.Contains(expected, exception.Message, StringComparison.Ordinal);
        Assert.Contains(certificate.Subject, exception.Message, StringComparison.Ordinal);
    }

    public static TheoryData<X509KeyUsageFlags?> NonSigningUsages => new()
    {
        X509KeyUsageFlags.KeyAgreement,
        X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign,
        null, // no key usage extension at all
    };

    [Theory]
    [MemberData(nameof(NonSigningUsages))]
    public void FromPemFiles_RejectsP256CertificateWithoutSignatureKeyUsage(X509KeyUsageFlags? usage)
    {
        var (ca, _) = SharedPki.Get(SealKeyKind.EcdsaP256);
        var (certificate, key) = TestPki.CreateSealAndKey(ca, SealKeyKind.EcdsaP256, usage);
        using var temp = new TempDirectory();
        var (certificatePath, keyPath) = TestPki.WritePem(certificate, key, temp.Path, "no-usage");
        certificate.Dispose();
        key.Dispose();

        var exception = Assert.Throws<InvalidOperationException>(
            () => new PlatformSeal(new PlatformSealOptions { CertificatePath = certificatePath, KeyPath = keyPath }));

        Assert.Contains(certificatePath, exception.Message, StringComparison.Ordinal);
        Assert.Contains("digitalSignature or nonRepudiation", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(X509KeyUsageFlags.DigitalSignature)]
    [InlineData(X509KeyUsageFlags.NonRepudiation)]
    public void FromCertificate_AcceptsEitherSignatureKeyUsage(X509KeyUsageFlags usage)
    {
        var (ca, _) = SharedPki.Get(SealKeyKind.EcdsaP256);
        using var certificate = TestPki.CreateSeal(ca, SealKeyKind.EcdsaP256, usage);

        using var seal = new PlatformSeal(certificate);

        Assert.Equal(EcdsaSha256, seal.SignatureMethod);
    }

    [Fact]
    public void FromCertificate_WithoutPrivateKey_Throws()
    {
        var (_, sealCertificate) = SharedPki.Get(SealKeyKind.EcdsaP256);
        using var publicOnly = X509CertificateLoader.LoadCertificate(sealCertificate.RawData);

        var exception = Assert.Throws<InvalidOperationException>(() => new PlatformSeal(publicOnly));

        Assert.Contains("no private key", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromCertificate_DoesNotDisposeTheCallersCertificate()
    {
        var (_, sealCertificate) = SharedPki.Get(SealKeyKind.EcdsaP256);

        new PlatformSeal(sealCertificate).Dispose();

        Assert.NotNull(sealCertificate.GetECDsaPrivateKey());
    }

    [Fact]
    public void FromPemFiles_MissingKeyFile_NamesIt()
    {
        var (_, sealCertificate) = SharedPki.Get(SealKeyKind.EcdsaP256);
        using var temp = new TempDirectory();
        var (certificatePath, _) = TestPki.WritePem(sealCertificate, temp.Path, "seal");
        var missing = temp.File("missing.key");

        var exception = Assert.Throws<InvalidOperationException>(
            () => new PlatformSeal(new PlatformSealOptions { CertificatePath = certificatePath, KeyPath = missing }));

        Assert.Contains(missing, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromPemFiles_KeyOfAnotherCertificate_Throws()
    {
        var (ca, sealCertificate) = SharedPki.Get(SealKeyKind.EcdsaP256);
        using var other = TestPki.CreateSeal(ca, SealKeyKind.EcdsaP256);
        using var temp = new TempDirectory();
        var (certificatePath, _) = TestPki.WritePem(sealCertificate, temp.Path, "seal");
        var (_, otherKeyPath) = TestPki.WritePem(other, temp.Path, "other");

        var exception = Assert.Throws<InvalidOperationException>(
            () => new PlatformSeal(new PlatformSealOptions { CertificatePath = certificatePath, KeyPath = otherKeyPath }));

        Assert.Contains(otherKeyPath, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromPemFiles_EncryptedKey_Throws()
    {
        var (_, sealCertificate) = SharedPki.Get(SealKeyKind.EcdsaP256);
        using var temp = new TempDirectory();
        var (certificatePath, keyPath) = TestPki.WritePem(sealCertificate, temp.Path, "seal");
        using var key = sealCertificate.GetECDsaPrivateKey()!;
        File.WriteAllText(keyPath, key.ExportEncryptedPkcs8PrivateKeyPem(
            "secret", new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 10_000)));

        var exception = Assert.Throws<InvalidOperationException>(
            () => new PlatformSeal(new PlatformSealOptions { CertificatePath = certificatePath, KeyPath = keyPath }));

        Assert.Contains(keyPath, exception.Message, StringComparison.Ordinal);
        Assert.Contains("unencrypted", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromOptions_EmptyPaths_Throws()
    {
        Assert.Throws<InvalidOperationException>(() => new PlatformSeal(new PlatformSealOptions()));
    }
}
