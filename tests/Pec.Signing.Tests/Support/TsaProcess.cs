using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Pec.Signing.Tests.Support;

/// <summary>
/// The development TSA (src/Pec.Tsa) running as a child process on 127.0.0.1, with a throw-away CA and
/// TSA certificate. Its host builder is internal to Pec.Tsa, so the tests run the built program itself.
/// </summary>
public sealed class TsaProcess : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly string _directory = Directory.CreateTempSubdirectory("pec-signing-tsa-").FullName;
    private Process? _process;

    public Uri Url { get; private set; } = null!;

    /// <summary>PEM file of the CA that issued the TSA certificate.</summary>
    public string CaPath => Path.Combine(_directory, "tsa-ca.crt");

    public X509Certificate2Collection Anchors { get; } = [];

    public async Task InitializeAsync()
    {
        WriteCaAndTsa(_directory);
        Anchors.ImportFromPemFile(CaPath);

        var port = FreeLoopbackPort();
        Url = new Uri($"http://127.0.0.1:{port}/");
        var program = Path.Combine(AppContext.BaseDirectory, "Pec.Tsa.dll");
        var startInfo = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            program,
            "--urls", $"http://127.0.0.1:{port}",
            "--Tsa:CertificatePath", Path.Combine(_directory, "tsa.crt"),
            "--Tsa:KeyPath", Path.Combine(_directory, "tsa.key"),
            "--Logging:LogLevel:Default", "Warning",
        })
        {
            startInfo.ArgumentList.Add(argument);
        }

        _process = Process.Start(startInfo) ?? throw new InvalidOperationException("Could not start the development TSA.");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < StartTimeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The development TSA exited with code {_process.ExitCode} at start.");
            }

            try
            {
                using var response = await client.GetAsync(new Uri(Url, "health"));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // No HTTP response yet.
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"The development TSA did not answer on {Url} within {StartTimeout}.");
    }

    public async Task DisposeAsync()
    {
        if (_process is not null)
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }

            _process.Dispose();
        }

        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>A loopback port nothing listens on (bound, then released).</summary>
    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>Writes tsa-ca.crt, tsa.crt and tsa.key: an ECDSA CA and TSA certificate with the critical timeStamping usage.</summary>
    public static void WriteCaAndTsa(string directory, string prefix = "")
    {
        var notBefore = TimeProvider.System.GetUtcNow().AddMinutes(-5);
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest($"CN={prefix}PEC TSA Test CA, O=PEC Tests, C=FR", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        using var ca = caRequest.CreateSelfSigned(notBefore, notBefore.AddYears(2));

        using var tsaKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var tsaRequest = new CertificateRequest($"CN={prefix}PEC TSA Test, O=PEC Tests, C=FR", tsaKey, HashAlgorithmName.SHA256);
        tsaRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        tsaRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation, true));
        tsaRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.8")], true));
        tsaRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        using var tsa = tsaRequest.Create(ca, notBefore, notBefore.AddYears(1), RandomNumberGenerator.GetBytes(8));

        File.WriteAllText(Path.Combine(directory, prefix + "tsa-ca.crt"), ca.ExportCertificatePem());
        File.WriteAllText(Path.Combine(directory, prefix + "tsa.crt"), tsa.ExportCertificatePem());
        File.WriteAllText(Path.Combine(directory, prefix + "tsa.key"), tsaKey.ExportPkcs8PrivateKeyPem());
    }
}
