using System.Diagnostics;

namespace Pec.Signing.Tests.Support;

public sealed record ToolResult(int ExitCode, string StandardOutput, string StandardError)
{
    public override string ToString() => $"exit code {ExitCode}\nstdout:\n{StandardOutput}\nstderr:\n{StandardError}";
}

/// <summary>Runs openssl and xmlsec1 as real processes.</summary>
public static class ExternalTool
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(1);

    public static async Task<ToolResult> RunAsync(string fileName, string workingDirectory, params string[] arguments)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', arguments)} did not finish within {Timeout}.");
        }

        return new ToolResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>xmlsec1 --verify --trusted-pem ca.crt receipt.xml</summary>
    public static Task<ToolResult> XmlSecVerifyAsync(string trustedPemPath, string receiptPath) =>
        RunAsync("xmlsec1", Path.GetDirectoryName(receiptPath)!, "--verify", "--trusted-pem", trustedPemPath, receiptPath);

    public static async Task<ToolResult> OpenSslAsync(string workingDirectory, params string[] arguments)
    {
        var result = await RunAsync("openssl", workingDirectory, arguments);
        Assert.True(result.ExitCode == 0, $"openssl {string.Join(' ', arguments)} failed: {result}");
        return result;
    }
}
