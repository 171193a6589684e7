using System.Diagnostics;
using System.Text;

namespace Spumr.Cli.Tests;

/// <summary>Runs the built <c>spumr</c> CLI (src/Cli's own output) as a child process.</summary>
internal sealed class CliProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Lock _lock = new();

    private CliProcess(Process process) => _process = process;

    public string Output
    {
        get
        {
            lock (_lock)
            {
                return _output.ToString();
            }
        }
    }

    public int Id => _process.Id;

    public static CliProcess Start(params string[] args)
    {
        // artifacts/bin/Spumr.Cli.Tests/<config>/ -> artifacts/bin/Spumr.Cli/<config>/spumr.dll
        var testDir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var dll = Path.Combine(testDir.Parent!.Parent!.FullName, "Spumr.Cli", testDir.Name, "spumr.dll");
        Assert.True(File.Exists(dll), $"CLI build output not found at {dll}");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        var cli = new CliProcess(new Process { StartInfo = start });
        cli._process.OutputDataReceived += (_, e) => cli.Append(e.Data);
        cli._process.ErrorDataReceived += (_, e) => cli.Append(e.Data);
        cli._process.Start();
        cli._process.BeginOutputReadLine();
        cli._process.BeginErrorReadLine();
        return cli;
    }

    /// <summary>Runs to the end; the output has line breaks folded into spaces, since Spectre wraps
    /// redirected output at 80 columns.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(params string[] args)
    {
        using var cli = Start(args);
        var code = await cli.WaitForExitAsync(TimeSpan.FromSeconds(60));
        return (code, string.Join(' ', cli.Output.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)));
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cancel.Token);
        _process.WaitForExit();
        return _process.ExitCode;
    }

    public async Task WaitForOutputAsync(string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            Assert.False(_process.HasExited, $"spumr exited before printing '{text}':\n{Output}");
            Assert.True(DateTime.UtcNow < deadline, $"spumr did not print '{text}' within {timeout.TotalSeconds:F0} s:\n{Output}");
            await Task.Delay(20);
        }
    }

    public void Terminate()
    {
        // SIGTERM, as a service manager or `docker stop` sends it.
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lock)
        {
            _output.AppendLine(line);
        }
    }
}
