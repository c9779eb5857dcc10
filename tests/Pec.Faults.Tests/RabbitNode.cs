using System.Diagnostics;
using System.Globalization;

namespace Pec.Faults.Tests;

/// <summary>
/// A RabbitMQ node of the suite's own (ops/lib/rabbitmq-node), beside the development node, so
/// that killing and pausing it disturbs no other test.
/// </summary>
internal sealed class RabbitNode(string directory, int port, int distributionPort)
{
    private readonly string _node = $"pecfault{port}@localhost";

    public string Uri => $"amqp://pec:{System.Uri.EscapeDataString(Repository.RabbitMqPassword)}@127.0.0.1:{port}/pec";

    public Task StartAsync() => RunScriptAsync("start");

    public Task StopAsync() => RunScriptAsync("stop");

    /// <summary>SIGKILL to the Erlang VM, as <c>kill -9</c>.</summary>
    public void Kill() => Signal("KILL");

    /// <summary>SIGSTOP: the node keeps its sockets open and answers nothing.</summary>
    public void Pause() => Signal("STOP");

    public void Resume() => Signal("CONT");

    private int Pid => int.Parse(File.ReadAllText(Path.Combine(directory, "node.pid")).Trim(), CultureInfo.InvariantCulture);

    private void Signal(string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", Pid.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    private async Task RunScriptAsync(string command)
    {
        var start = new ProcessStartInfo(Path.Combine(Repository.Root, "ops", "lib", "rabbitmq-node"), [command])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["PEC_RMQ_NODE"] = _node;
        start.Environment["PEC_RMQ_PORT"] = port.ToString(CultureInfo.InvariantCulture);
        start.Environment["PEC_RMQ_DIST_PORT"] = distributionPort.ToString(CultureInfo.InvariantCulture);
        start.Environment["PEC_RMQ_BASE"] = directory;
        start.Environment["PEC_RMQ_PID_FILE"] = Path.Combine(directory, "node.pid");
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"ops/lib/rabbitmq-node {command} failed ({process.ExitCode}): {await output} {await error}");
        }
    }
}
