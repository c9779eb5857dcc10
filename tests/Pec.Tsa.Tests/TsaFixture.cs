using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Pec.Tsa.Tests;

/// <summary>The real TSA host on 127.0.0.1 with a throw-away CA and TSA certificate written as PEM files.</summary>
public sealed class TsaFixture : IAsyncLifetime
{
    private WebApplication? _app;

    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("pec-tsa-test-").FullName;

    public Uri BaseAddress { get; private set; } = null!;

    public string CaPath => Path.Combine(Directory, "ca.crt");

    public string TsaCertificatePath => Path.Combine(Directory, "tsa.crt");

    public async Task InitializeAsync()
    {
        TestCertificates.WriteCaAndTsa(Directory, timeStampingCritical: true, prefix: "");
        _app = TsaApplication.Build([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Tsa:CertificatePath"] = TsaCertificatePath,
                ["Tsa:KeyPath"] = Path.Combine(Directory, "tsa.key"),
            });
            builder.WebHost.UseUrls("http://127.0.0.1:0");
        });
        await _app.StartAsync();
        BaseAddress = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        System.IO.Directory.Delete(Directory, recursive: true);
    }
}

/// <summary>Creates a CA and a TSA certificate issued by it, as PEM files.</summary>
internal static class TestCertificates
{
    public static void WriteCaAndTsa(string directory, bool timeStampingCritical, string prefix)
    {
        var notBefore = TimeProvider.System.GetUtcNow().AddMinutes(-5);
        using var caKey = RSA.Create(3072);
        var caRequest = new CertificateRequest("CN=PEC TSA Test CA", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        using var ca = caRequest.CreateSelfSigned(notBefore, notBefore.AddYears(2));

        using var tsaKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var tsaRequest = new CertificateRequest("CN=PEC TSA Test, O=PEC", tsaKey, HashAlgorithmName.SHA256);
        tsaRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        tsaRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation, true));
        tsaRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.8")], timeStampingCritical));
        tsaRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        using var tsa = tsaRequest.Create(ca.SubjectName, X509SignatureGenerator.CreateForRSA(caKey, RSASignaturePadding.Pkcs1), notBefore, notBefore.AddYears(1), [0x01, 0x02, 0x03, 0x04]);

        File.WriteAllText(Path.Combine(directory, prefix + "ca.crt"), ca.ExportCertificatePem());
        File.WriteAllText(Path.Combine(directory, prefix + "tsa.crt"), tsa.ExportCertificatePem());
        File.WriteAllText(Path.Combine(directory, prefix + "tsa.key"), tsaKey.ExportPkcs8PrivateKeyPem());
    }
}
