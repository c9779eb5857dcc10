using System.Diagnostics;

namespace Pec.Faults.Tests;

/// <summary>
/// A PEC host run as a child process (<c>dotnet X.dll</c>), so the suite can kill it with SIGKILL.
/// A supervisor restarts it whenever it dies, whether the suite or a crash point killed it, the way
/// systemd would in production. Output goes to a log file beside the report.
/// </summary>
internal sealed class ManagedProcess : IAsyncDisposable
{
    private readonly string _name;
    private readonly string _dll;
    private readonly string _workingDirectory;
    private readonly IReadOnlyDictionary<string, string> _environment;
    private readonly string _logPath;
    private readonly string _readyLine;
    private readonly CancellationTokenSource _stop = new();
    private Process? _process;
    private Task? _supervisor;

    public ManagedProcess(string name, string dll, string workingDirectory, IReadOnlyDictionary<string, string> environment, string logPath, string readyLine)
    {
        _name = name;
        _dll = dll;
        _workingDirectory = workingDirectory;
        _environment = environment;
        _logPath = logPath;
        _readyLine = readyLine;
    }

    /// <summary>Deaths not asked by the suite: crash points hit.</summary>
    public int UnplannedExits { get; private set; }

    public int Starts { get; private set; }

    public async Task StartAsync()
    {
        await LaunchAsync();
        _supervisor = SuperviseAsync();
    }

    /// <summary>SIGKILL, as <c>kill -9</c>; the supervisor starts it again.</summary>
    public void Kill()
    {
        var process = _process;
        if (process is { HasExited: false })
        {
            Planned = true;
            process.Kill();
        }
    }

    private bool Planned { get; set; }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        if (_supervisor is not null)
        {
            await _supervisor.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        _process?.Dispose();
        _stop.Dispose();
    }

    private async Task SuperviseAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            await _process!.WaitForExitAsync(_stop.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (_stop.IsCancellationRequested)
            {
                return;
            }

            if (!Planned)
            {
                UnplannedExits++;
            }

            Planned = false;
            await Task.Delay(300, _stop.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (!_stop.IsCancellationRequested)
            {
                await LaunchAsync();
            }
        }
    }

    private async Task LaunchAsync()
    {
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var start = new ProcessStartInfo("dotnet", [_dll])
        {
            WorkingDirectory = _workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in _environment)
        {
            start.Environment[key] = value;
        }

        var log = new StreamWriter(_logPath, append: true) { AutoFlush = true };
        await log.WriteLineAsync($"----- {_name} start {Starts + 1} at {TimeProvider.System.GetUtcNow():O}");
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var closed = false;
        void OnLine(object sender, DataReceivedEventArgs e)
        {
            if (e.Data is null)
            {
                return;
            }

            lock (log)
            {
                if (!closed)
                {
                    log.WriteLine(e.Data);
                }
            }

            if (e.Data.Contains(_readyLine, StringComparison.Ordinal))
            {
                ready.TrySetResult();
            }
        }

        process.OutputDataReceived += OnLine;
        process.ErrorDataReceived += OnLine;
        process.Exited += (_, _) =>
        {
            ready.TrySetException(new InvalidOperationException($"{_name} exited during start; see {_logPath}"));
            // Output read asynchronously can still arrive; give it a moment before closing the log.
            Thread.Sleep(200);
            lock (log)
            {
                closed = true;
                log.Dispose();
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var previous = _process;
        _process = process;
        previous?.Dispose();
        Starts++;
        try
        {
            await ready.Task.WaitAsync(TimeSpan.FromSeconds(120));
        }
        catch (InvalidOperationException) when (Starts > 1)
        {
            // A crash point can kill a restarted process before it says it is ready; the supervisor starts it again.
        }
    }
}
