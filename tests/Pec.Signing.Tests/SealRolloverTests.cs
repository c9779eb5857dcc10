using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Pec.Signing.Receipts;
using Pec.Signing.Seal;
using Pec.Signing.Tests.Support;

namespace Pec.Signing.Tests;

public sealed class SealRolloverTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Rollover_OldReceiptsVerify_NewOnesNameSealB()
    {
        var ca = TestPki.CreateCa("PEC Rollover CA", SealKeyKind.EcdsaP256);
        using var sealA = TestPki.CreateSeal(ca, SealKeyKind.EcdsaP256, commonName: "PEC seal A");
        using var sealB = TestPki.CreateSeal(ca, SealKeyKind.EcdsaP256, commonName: "PEC seal B");
        using var temp = new TempDirectory();
        var (certificateA, keyA) = TestPki.WritePem(sealA, temp.Path, "seal-a");
        var (certificateB, keyB) = TestPki.WritePem(sealB, temp.Path, "seal-b");

        byte[] oldReceipt;
        using (var current = new PlatformSeal(new PlatformSealOptions { CertificatePath = certificateA, KeyPath = keyA }))
        {
            oldReceipt = new ReceiptSigner(current).Sign(SampleReceipts.Create());
        }

        var options = new PlatformSealOptions { CertificatePath = certificateB, KeyPath = keyB };
        options.PreviousCertificatePaths.Add(certificateA);
        using var rolledOver = new PlatformSeal(options);
        var newReceipt = new ReceiptSigner(rolledOver).Sign(SampleReceipts.Create());

        Assert.Equal(sealA.Thumbprint, Assert.Single(rolledOver.PreviousCertificates).Thumbprint);
        var verifier = new ReceiptVerifier();
        var oldResult = verifier.Verify(oldReceipt, [ca]);
        var newResult = verifier.Verify(newReceipt, [ca]);
        Assert.True(oldResult.IsValid, oldResult.FailureReason);
        Assert.True(newResult.IsValid, newResult.FailureReason);
        Assert.Equal(sealA.Thumbprint, oldResult.SignerCertificate.Thumbprint);
        Assert.Equal(sealB.Thumbprint, newResult.SignerCertificate.Thumbprint);
        Assert.Contains("CN=PEC seal B", System.Text.Encoding.UTF8.GetString(newReceipt), StringComparison.Ordinal);
    }

    [Fact]
    public void PlatformSeal_CurrentCertificateListedAsPrevious_Throws()
    {
        var (_, seal) = SharedPki.Get(SealKeyKind.EcdsaP256);

        var error = Assert.Throws<InvalidOperationException>(() => new PlatformSeal(seal, [seal]));

        Assert.Contains("is the current seal certificate", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_ExpiredPreviousSeal_DependsOnValidationTime()
    {
        // Seal A was valid in March 2025, when the sample receipt was issued; the verifier runs in June 2026.
        var (ca, expiredSeal) = CreateCaAndSeal(new DateTimeOffset(2025, 3, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2025, 4, 1, 0, 0, 0, TimeSpan.Zero));
        using (ca)
        using (expiredSeal)
        using (var seal = new PlatformSeal(expiredSeal))
        {
            var receipt = new ReceiptSigner(seal).Sign(SampleReceipts.Create());
            var clock = new FixedTimeProvider(Now);

            var atCurrentTime = new ReceiptVerifier(clock).Verify(receipt, [ca]);
            var atSealingTime = new ReceiptVerifier(clock, new ReceiptVerifierOptions { ValidationTime = ReceiptValidationTime.SealingTime })
                .Verify(receipt, [ca]);

            Assert.False(atCurrentTime.IsValid);
            Assert.Contains("does not chain", atCurrentTime.FailureReason, StringComparison.Ordinal);
            Assert.True(atSealingTime.IsValid, atSealingTime.FailureReason);
        }
    }

    [Fact]
    public void Verify_SigningTimeOutsideSealValidity_IsRefusedAtSealingTime()
    {
        // Seal valid in 2026 only, but the receipt claims March 2025.
        var (ca, seal2026) = CreateCaAndSeal(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));
        using (ca)
        using (seal2026)
        using (var seal = new PlatformSeal(seal2026))
        {
            var receipt = new ReceiptSigner(seal).Sign(SampleReceipts.Create());

            var result = new ReceiptVerifier(new FixedTimeProvider(Now), new ReceiptVerifierOptions { ValidationTime = ReceiptValidationTime.SealingTime })
                .Verify(receipt, [ca]);

            Assert.False(result.IsValid);
            Assert.Contains("does not chain", result.FailureReason, StringComparison.Ordinal);
        }
    }

    private static (X509Certificate2 Ca, X509Certificate2 Seal) CreateCaAndSeal(DateTimeOffset sealNotBefore, DateTimeOffset sealNotAfter)
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=PEC Dated CA, O=PEC Tests, C=FR", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        var ca = caRequest.CreateSelfSigned(new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));

        using var sealKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var sealRequest = new CertificateRequest("CN=PEC dated seal, O=PEC Tests, C=FR", sealKey, HashAlgorithmName.SHA256);
        sealRequest.CertificateExtensions.Add(new X509KeyUsageExtension(TestPki.SealUsage, true));
        using var publicOnly = sealRequest.Create(ca, sealNotBefore, sealNotAfter, RandomNumberGenerator.GetBytes(8));
        return (ca, publicOnly.CopyWithPrivateKey(sealKey));
    }
}
