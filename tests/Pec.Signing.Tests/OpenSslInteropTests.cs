using System.Security.Cryptography.X509Certificates;
using Pec.Signing.Receipts;
using Pec.Signing.Seal;
using Pec.Signing.Tests.Support;

namespace Pec.Signing.Tests;

/// <summary>The seal files an operator script produces with openssl must load, and their receipts verify.</summary>
public sealed class OpenSslInteropTests
{
    private const string SealUsage = "keyUsage=critical,digitalSignature,nonRepudiation";

    public static TheoryData<string, string[], string[]?, string> SelfSignedSeals => new()
    {
        // openssl req -x509 -newkey ... -nodes writes an unencrypted PKCS#8 key.
        { "rsa-3072-pkcs8", ["-newkey", "rsa:3072"], null, "-----BEGIN PRIVATE KEY-----" },
        { "p256-pkcs8", ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"], null, "-----BEGIN PRIVATE KEY-----" },
        { "rsa-3072-traditional", ["-newkey", "rsa:3072"], ["rsa", "-traditional"], "-----BEGIN RSA PRIVATE KEY-----" },
        { "p256-traditional", ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"], ["ec"], "-----BEGIN EC PRIVATE KEY-----" },
    };

    [Theory]
    [MemberData(nameof(SelfSignedSeals))]
    public async Task PlatformSeal_LoadsOpenSslFiles_AndItsReceiptsVerify(
        string name, string[] newKey, string[]? convertKey, string keyHeader)
    {
        using var temp = new TempDirectory();
        var certificatePath = temp.File($"{name}.crt");
        var keyPath = temp.File($"{name}.key");
        await ExternalTool.OpenSslAsync(
            temp.Path,
            ["req", "-x509", .. newKey, "-nodes", "-keyout", keyPath, "-out", certificatePath,
             "-days", "2", "-subj", "/C=FR/O=PEC Tests/CN=PEC seal (openssl)", "-addext", SealUsage]);
        if (convertKey is not null)
        {
            var converted = temp.File($"{name}.converted.key");
            await ExternalTool.OpenSslAsync(temp.Path, [.. convertKey, "-in", keyPath, "-out", converted]);
            keyPath = converted;
        }

        Assert.StartsWith(keyHeader, await File.ReadAllTextAsync(keyPath), StringComparison.Ordinal);

        using var seal = new PlatformSeal(new PlatformSealOptions { CertificatePath = certificatePath, KeyPath = keyPath });
        var signed = new ReceiptSigner(seal).Sign(SampleReceipts.Create());

        var receiptPath = temp.File("receipt.xml");
        await File.WriteAllBytesAsync(receiptPath, signed);
        var xmlsec = await ExternalTool.XmlSecVerifyAsync(certificatePath, receiptPath);
        Assert.True(xmlsec.ExitCode == 0, $"xmlsec1 refused the receipt: {xmlsec}");
        // Not ReceiptVerifier: .NET refuses a self-signed certificate without keyCertSign as its own trust anchor.
        // PlatformSeal_LoadsSealIssuedByAnOpenSslCa covers ReceiptVerifier with openssl files.
    }

    [Fact]
    public async Task PlatformSeal_LoadsSealIssuedByAnOpenSslCa()
    {
        using var temp = new TempDirectory();
        await ExternalTool.OpenSslAsync(
            temp.Path,
            ["req", "-x509", "-newkey", "rsa:3072", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days", "30",
             "-subj", "/C=FR/O=PEC Tests/CN=PEC openssl CA",
             "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"]);
        await ExternalTool.OpenSslAsync(
            temp.Path,
            ["req", "-new", "-utf8", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "seal.key",
             "-out", "seal.csr", "-subj", "/O=PEC/CN=PEC Cachet Serveur (développement)"]);
        await File.WriteAllTextAsync(temp.File("seal.ext"), $"basicConstraints=critical,CA:FALSE\n{SealUsage}\n");
        await ExternalTool.OpenSslAsync(
            temp.Path,
            ["x509", "-req", "-in", "seal.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
             "-days", "2", "-sha256", "-extfile", "seal.ext", "-out", "seal.crt"]);

        using var seal = new PlatformSeal(new PlatformSealOptions
        {
            CertificatePath = temp.File("seal.crt"),
            KeyPath = temp.File("seal.key"),
        });
        var signed = new ReceiptSigner(seal).Sign(SampleReceipts.Create(ReceiptKind.NonDelivery));
        await File.WriteAllBytesAsync(temp.File("receipt.xml"), signed);

        var xmlsec = await ExternalTool.XmlSecVerifyAsync(temp.File("ca.crt"), temp.File("receipt.xml"));
        Assert.True(xmlsec.ExitCode == 0, $"xmlsec1 refused the receipt: {xmlsec}");
        using var ca = X509CertificateLoader.LoadCertificateFromFile(temp.File("ca.crt"));
        var result = new ReceiptVerifier().Verify(signed, [ca]);
        Assert.True(result.IsValid, result.FailureReason);
        Assert.Contains("développement", result.SignerCertificate.Subject, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlatformSeal_RejectsOpenSslRsa2048Key()
    {
        using var temp = new TempDirectory();
        await ExternalTool.OpenSslAsync(
            temp.Path,
            ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "seal.key", "-out", "seal.crt",
             "-days", "2", "-subj", "/CN=weak seal", "-addext", SealUsage]);

        var exception = Assert.Throws<InvalidOperationException>(() => new PlatformSeal(new PlatformSealOptions
        {
            CertificatePath = temp.File("seal.crt"),
            KeyPath = temp.File("seal.key"),
        }));

        Assert.Contains(temp.File("seal.key"), exception.Message, StringComparison.Ordinal);
        Assert.Contains("2048", exception.Message, StringComparison.Ordinal);
    }
}
