using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Xml;
using Pec.Signing.Receipts;
using Pec.Signing.Seal;
using Pec.Signing.Tests.Support;
using Pec.Signing.Timestamping;

namespace Pec.Signing.Tests;

public sealed class TimestampTests(TsaProcess tsa) : IClassFixture<TsaProcess>
{
    private const string Xades = "http://uri.etsi.org/01903/v1.3.2#";

    [Theory]
    [InlineData(SealKeyKind.Rsa3072)]
    [InlineData(SealKeyKind.EcdsaP256)]
    public async Task AddSignatureTimestamp_ReceiptStillVerifiesWithXmlsec1(SealKeyKind kind)
    {
        var (ca, sealCertificate) = SharedPki.Get(kind);
        using var seal = new PlatformSeal(sealCertificate);
        using var temp = new TempDirectory();

        var timestamped = await TimestampAsync(new ReceiptSigner(seal).Sign(SampleReceipts.Create()));

        var result = await XmlSec1.VerifyAsync(temp, ca, timestamped);
        Assert.True(result.ExitCode == 0, $"xmlsec1 refused the B-T receipt: {result}");
    }

    [Fact]
    public async Task Verify_TimestampedReceipt_ReportsLevelAndTimes()
    {
        var (ca, sealCertificate) = SharedPki.Get(SealKeyKind.EcdsaP256);
        using var seal = new PlatformSeal(sealCertificate);
        var before = TimeProvider.System.GetUtcNow().AddSeconds(-5);
        var timestamped = await TimestampAsync(new ReceiptSigner(seal).Sign(SampleReceipts.Create()));

        var result = Verifier().Verify(timestamped, [ca]);

        Assert.True(result.IsValid, result.FailureReason);
        Assert.Equal(ReceiptSignatureLevel.XadesBaselineT, result.Level);
        Assert.Equal(SampleReceipts.Create().IssuedAt, result.SigningTime);
        Assert.NotNull(result.TimestampTime);
        Assert.InRange(result.TimestampTime.Value, before, TimeProvider.System.GetUtcNow().AddSeconds(5));
    }

    [Fact]
    public async Task AddSignatureTimestamp_WritesTheXadesLayout()
    {
        var (_, sealCertificate) = SharedPki.Get(SealKeyKind.EcdsaP256);
        using var seal = new PlatformSeal(sealCertificate);

        var document = ReceiptForgery.Load(await TimestampAsync(new ReceiptSigner(seal).Sign(SampleReceipts.Create())));

        var namespaces = new XmlNamespaceManager(document.NameTable);
        namespaces.AddNamespace("ds", ReceiptForgery.Ds);
        namespaces.AddNamespace("xades", Xades);
        var timestamp = (XmlElement?)document.SelectSingleNode(
            "//ds:Signature/ds:Object/xades:QualifyingProperties/xades:UnsignedProperties/xades:UnsignedSignatureProperties/xades:SignatureTimeStamp",
            namespaces);
        Assert.NotNull(timestamp);
        Assert.Equal(
            "http://www.w3.org/2001/10/xml-exc-c14n#",
            ((XmlElement)timestamp.SelectSingleNode("ds:CanonicalizationMethod", namespaces)!).GetAttribute("Algorithm"));
        Assert.NotEmpty(Convert.FromBase64String(timestamp.SelectSingleNode("xades:EncapsulatedTimeStamp", namespaces)!.InnerText));
    }

    [Fact]
    public async Task Verify_ReceiptAlteredAfterTimestamp_IsRefused()
    {
        var (ca, sealCertificate) = SharedPki.Get(SealKeyKind.EcdsaP256);
        using var seal = new PlatformSeal(sealCertificate);
        var timestamped = await TimestampAsync(new ReceiptSigner(seal).Sign(SampleReceipts.Create()));

        var altered = Encoding.UTF8.GetBytes(
            Encoding.UTF8.GetString(timestamped).Replace(SampleReceipts.Sender, "ministere-b.gouv.fr", StringComparison.Ordinal));
        var result = Verifier().Verify(altered, [ca]);

        Assert.False(result.IsValid);
        Assert.Contains("does not verify", result.FailureReason, StringComparison.Ordinal);
        using var temp = new TempDirectory();
        Assert.NotEqual(0, (await XmlSec1.VerifyAsync(temp, ca, altered)).ExitCode);
    }

    [Fact]
    public async Task Verify_TimestampOfAnotherReceipt_IsRefused()
    {
        var (ca, sealCertificate) = SharedPki.Get(SealKeyKind.EcdsaP256);
        using var seal = new PlatformSeal(sealCertificate);
        var signer = new ReceiptSigner(seal);
        var receipt = signer.Sign(SampleReceipts.Create());
        var other = await TimestampAsync(signer.Sign(SampleReceipts.Create(ReceiptKind.Deposit)));

        // Moves the other receipt's UnsignedProperties into this one: well-formed, but over the wrong SignatureValue.
        var document = ReceiptForgery.Load(receipt);
        var otherDocument = ReceiptForgery.Load(other);
        var unsigned = otherDocument.GetElementsByTagName("UnsignedProperties", Xades)[0]!;
        document.GetElementsByTagName("QualifyingProperties", Xades)[0]!.AppendChild(document.ImportNode(unsigned, deep: true));
        var result = Verifier().Verify(ReceiptForgery.Save(document), [ca]);

        Assert.False(result.IsValid);
        Assert.Contains("does not cover this signature value", result.FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddSignatureTimestamp_TokenOfOtherBytes_Throws()
    {
        var (_, sealCertificate) = SharedPki.Get(SealKeyKind.EcdsaP256);
        using var seal = new PlatformSeal(sealCertificate);
        var receipt = new ReceiptSigner(seal).Sign(SampleReceipts.Create());
        var token = await Client().RequestAsync(Encoding.UTF8.GetBytes("other bytes"));

        var error = Assert.Throws<ArgumentException>(() => ReceiptTimestamper.AddSignatureTimestamp(receipt, token));

        Assert.Contains("does not cover", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_TsaNotTrusted_IsRefused()
    {
        var (ca, sealCertificate) = SharedPki.Get(SealKeyKind.EcdsaP256);
        using var seal = new PlatformSeal(sealCertificate);
        var timestamped = await TimestampAsync(new ReceiptSigner(seal).Sign(SampleReceipts.Create()));

        // The seal CA is a CA, but not the one that issued the TSA certificate.
        var result = new ReceiptVerifier(TimeProvider.System, new ReceiptVerifierOptions { TrustedTsaCertificates = [ca] })
            .Verify(timestamped, [ca]);

        Assert.False(result.IsValid);
        Assert.Contains("does not chain to a trusted TSA anchor", result.FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_TimestampWithoutTsaAnchors_IsRefused()
    {
        var (ca, sealCertificate) = SharedPki.Get(SealKeyKind.EcdsaP256);
        using var seal = new PlatformSeal(sealCertificate);
        var timestamped = await TimestampAsync(new ReceiptSigner(seal).Sign(SampleReceipts.Create()));

        var result = new ReceiptVerifier().Verify(timestamped, [ca]);

        Assert.False(result.IsValid);
        Assert.Contains("no TSA trust anchor", result.FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequestAsync_TsaNotTrusted_ThrowsInvalidTimestamp()
    {
        using var temp = new TempDirectory();
        TsaProcess.WriteCaAndTsa(temp.Path, prefix: "other-");
        using var httpClient = new HttpClient();
        var client = new TimestampClient(httpClient, new TimestampingOptions
        {
            Url = tsa.Url.ToString(),
            TrustedTsaCertificatePath = temp.File("other-tsa-ca.crt"),
        });

        var error = await Assert.ThrowsAsync<InvalidTimestampException>(() => client.RequestAsync(new byte[] { 1, 2, 3 }));

        Assert.Equal(tsa.Url, error.Url);
        Assert.Contains("not trusted", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequestAsync_TsaDown_ThrowsUnavailableWithUrl()
    {
        var url = new Uri($"http://127.0.0.1:{TsaProcess.FreeLoopbackPort()}/");
        using var httpClient = new HttpClient();
        var client = new TimestampClient(httpClient, new TimestampingOptions
        {
            Url = url.ToString(),
            TrustedTsaCertificatePath = tsa.CaPath,
            Timeout = TimeSpan.FromSeconds(2),
        });
        var timestamper = new ReceiptTimestamper(client);
        var (_, sealCertificate) = SharedPki.Get(SealKeyKind.EcdsaP256);
        using var seal = new PlatformSeal(sealCertificate);

        var error = await Assert.ThrowsAsync<TimestampUnavailableException>(
            () => timestamper.AddSignatureTimestampAsync(new ReceiptSigner(seal).Sign(SampleReceipts.Create())));

        Assert.Equal(url, error.Url);
        Assert.Contains(url.ToString(), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddSignatureTimestampAsync_AlreadyTimestamped_Throws()
    {
        var (_, sealCertificate) = SharedPki.Get(SealKeyKind.EcdsaP256);
        using var seal = new PlatformSeal(sealCertificate);
        var timestamped = await TimestampAsync(new ReceiptSigner(seal).Sign(SampleReceipts.Create()));

        await Assert.ThrowsAsync<ArgumentException>(() => Timestamper().AddSignatureTimestampAsync(timestamped));
    }

    [Fact]
    public async Task AddSignatureTimestampAsync_NoTsaConfigured_Throws()
    {
        var timestamper = new ReceiptTimestamper(client: null);

        Assert.False(timestamper.IsEnabled);
        await Assert.ThrowsAsync<InvalidOperationException>(() => timestamper.AddSignatureTimestampAsync([]));
    }

    private ReceiptVerifier Verifier() =>
        new(TimeProvider.System, new ReceiptVerifierOptions { TrustedTsaCertificates = tsa.Anchors });

    private TimestampClient Client() => new(
        new HttpClient(),
        new TimestampingOptions { Url = tsa.Url.ToString(), TrustedTsaCertificatePath = tsa.CaPath });

    private ReceiptTimestamper Timestamper() => new(Client());

    private Task<byte[]> TimestampAsync(byte[] receipt) => Timestamper().AddSignatureTimestampAsync(receipt);
}
