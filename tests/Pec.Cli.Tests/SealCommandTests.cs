using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Pec.Cli.Tests;

public sealed class SealCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pec-cli-seal-").FullName;
    private readonly string _caPath;
    private readonly string _sealCertificate;
    private readonly string _sealKey;

    public SealCommandTests()
    {
        var notBefore = TimeProvider.System.GetUtcNow().AddMinutes(-5);
        using var caKey = RSA.Create(3072);
        var caRequest = new CertificateRequest("CN=PEC Seal Test CA", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var ca = caRequest.CreateSelfSigned(notBefore, notBefore.AddYears(1));
        using var key = RSA.Create(3072);
        var request = new CertificateRequest("CN=PEC Cachet (test), O=PEC", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation, true));
        using var seal = request.Create(ca, notBefore, notBefore.AddMonths(6), [0x05]);
        _caPath = Write("ca.pem", ca.ExportCertificatePem());
        _sealCertificate = Write("seal.crt", seal.ExportCertificatePem());
        _sealKey = Write("seal.key", key.ExportPkcs8PrivateKeyPem());
    }

    [Fact]
    public async Task SealXml_VerifiesWithXmlsecAndPecVerify()
    {
        var input = Write("demande.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<demande>acte de naissance</demande>\n");

        var (exitCode, output, error) = Run("seal", input, "--cert", _sealCertificate, "--key", _sealKey);
        var sealedPath = Path.Combine(_directory, "demande.sealed.xml");

        Assert.True(exitCode == 0, error);
        Assert.Contains("Document scellé (XAdES enveloppé)", output, StringComparison.Ordinal);
        var (xmlsecExit, xmlsecOutput) = await RunProcessAsync("xmlsec1", "--verify", "--trusted-pem", _caPath, sealedPath);
        Assert.True(xmlsecExit == 0, xmlsecOutput);
        Assert.Equal(0, Run("verify", sealedPath, "--trust", _caPath).ExitCode);
    }

    [Fact]
    public async Task SealBinary_VerifiesWithOpenSslCms()
    {
        var input = Path.Combine(_directory, "acte.pdf");
        await File.WriteAllBytesAsync(input, "%PDF-1.7\nacte\n%%EOF\n"u8.ToArray());

        var (exitCode, output, error) = Run("seal", input, "--cert", _sealCertificate, "--key", _sealKey, "--media-type", "application/pdf");

        Assert.True(exitCode == 0, error);
        Assert.Contains("Signature détachée (CAdES)", output, StringComparison.Ordinal);
        var (opensslExit, opensslOutput) = await RunProcessAsync(
            "openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", input + ".p7s", "-content", input, "-CAfile", _caPath, "-purpose", "any", "-out", "/dev/null");
        Assert.True(opensslExit == 0, opensslOutput);
    }

    [Theory]
    [InlineData(new string[] { "seal", "x.xml" }, "FICHIER, --cert et --key sont obligatoires.")]
    [InlineData(new string[] { "seal", "x.xml", "--cert" }, "valeur manquante : --cert")]
    public void BadArguments_Exit2(string[] args, string message)
    {
        var (exitCode, _, error) = Run(args);

        Assert.Equal(2, exitCode);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public void WeakSealKey_IsRefused()
    {
        using var weakKey = RSA.Create(2048);
        var request = new CertificateRequest("CN=weak", weakKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        using var weak = request.CreateSelfSigned(TimeProvider.System.GetUtcNow().AddMinutes(-5), TimeProvider.System.GetUtcNow().AddDays(1));
        var certificate = Write("weak.crt", weak.ExportCertificatePem());
        var key = Write("weak.key", weakKey.ExportPkcs8PrivateKeyPem());

        var (exitCode, _, error) = Run("seal", Write("a.xml", "<a/>"), "--cert", certificate, "--key", key);

        Assert.Equal(1, exitCode);
        Assert.Contains("Scellement impossible", error, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Write(string name, string content)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, content);
        return path;
    }

    private static (int ExitCode, string Output, string Error) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = PecCommand.Run(args, output, error);
        return (exitCode, output.ToString(), error.ToString());
    }

    private static async Task<(int ExitCode, string Output)> RunProcessAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }
}
