using System.Diagnostics;
using Xunit.Abstractions;

namespace Spumr.TestSupport;

/// <summary>
/// A standalone service (a src/ project's own build output, such as Spumr.Ingest) as a child
/// process configured through environment variables, so that a test can kill it the hard way: no
/// Close(), no commit, no flush, no final snapshot.
/// </summary>
public sealed class ServiceProcess : IDisposable
{
    private readonly Process _process;
    private readonly string _name;

    private ServiceProcess(Process process, string name)
    {
        _process = process;
        _name = name;
    }

    public bool HasExited => _process.HasExited;

    public int Id => _process.Id;

    /// <param name="assembly">The service's assembly name, such as <c>Spumr.Ingest</c>; the test project must reference it (so it is built).</param>
    /// <param name="settings">Configuration keys such as <c>Kafka:BootstrapServers</c>, passed as environment variables.</param>
    public static ServiceProcess Start(string assembly, IDictionary<string, string?> settings, ITestOutputHelper output)
    {
        // artifacts/bin/<TestProject>/<config>/ -> artifacts/bin/<assembly>/<config>/<assembly>.dll
        var testDir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var dll = Path.Combine(testDir.Parent!.Parent!.FullName, assembly, testDir.Name, assembly + ".dll");
        Assert.True(File.Exists(dll), $"{assembly} build output not found at {dll}");
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
        var name = assembly.Replace("Spumr.", "", StringComparison.Ordinal).ToLowerInvariant();
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Write(output, name, e.Data);
        process.ErrorDataReceived += (_, e) => Write(output, name, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new ServiceProcess(process, name);
    }

    /// <summary>SIGKILL: the process gets no chance to leave a group, commit, flush or write anything more.</summary>
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

    public override string ToString() => $"{_name} process {_process.Id}";

    private static void Write(ITestOutputHelper output, string name, string? line)
    {
        if (line is null)
        {
            return;
        }

        try
        {
            output.WriteLine($"[{name} process] {line}");
        }
        catch (InvalidOperationException)
        {
            // The test already finished; its output is closed.
        }
    }
}
