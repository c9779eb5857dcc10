using System.Diagnostics;

namespace Pec.Gateway.Tests.Infrastructure;

/// <summary>Runs the reference verifier <c>xmlsec1 --verify</c> (Debian package xmlsec1) on a signed document.</summary>
internal static class Xmlsec
{
    public static async Task<(int ExitCode, string Output)> VerifyAsync(byte[] document, string trustedPem)
    {
        var path = Path.Combine(Path.GetTempPath(), $"pec-receipt-{Guid.NewGuid():N}.xml");
        await File.WriteAllBytesAsync(path, document);
        try
        {
            var start = new ProcessStartInfo("xmlsec1", ["--verify", "--trusted-pem", trustedPem, path])
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
            };
            using var process = Process.Start(start)!;
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            return (process.ExitCode, await stdout + await stderr);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
