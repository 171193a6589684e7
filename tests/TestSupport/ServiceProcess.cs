using System.Diagnostics;
using Xunit.Abstractions;

namespace Spumr.Ingest.Tests.Support;

/// <summary>
/// The standalone Ingest service (src/Ingest's own build output) as a child process, so that a
/// test can kill it the hard way: no Close(), no commit, no flush.
/// </summary>
internal sealed class IngestProcess : IDisposable
{
    private readonly Process _process;

    private IngestProcess(Process process) => _process = process;

    public bool HasExited => _process.HasExited;

    public static IngestProcess Start(IDictionary<string, string?> settings, ITestOutputHelper output)
    {
        // artifacts/bin/Spumr.Ingest.Tests/<config>/ -> artifacts/bin/Spumr.Ingest/<config>/Spumr.Ingest.dll
        var testDir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var dll = Path.Combine(testDir.Parent!.Parent!.FullName, "Spumr.Ingest", testDir.Name, "Spumr.Ingest.dll");
        Assert.True(File.Exists(dll), $"Ingest build output not found at {dll}");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        start.Environment["Logging__Console__FormatterName"] = "simple";
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Write(output, e.Data);
        process.ErrorDataReceived += (_, e) => Write(output, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new IngestProcess(process);
    }

    /// <summary>SIGKILL: the process gets no chance to leave the group, commit or flush.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            Kill();
        }

        _process.Dispose();
    }

    private static void Write(ITestOutputHelper output, string? line)
    {
        if (line is null)
        {
            return;
        }

        try
        {
            output.WriteLine("[ingest process] " + line);
        }
        catch (InvalidOperationException)
        {
        }
    }
}
