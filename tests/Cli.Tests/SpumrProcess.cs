using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Spumr.Cli.Tests;

/// <summary>Runs the built <c>spumr</c> executable (copied beside the tests) as a separate process.</summary>
internal static class SpumrProcess
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static async Task<Result> RunAsync(params string[] args)
    {
        var apphost = Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "spumr.exe" : "spumr");
        var start = new ProcessStartInfo(apphost)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryPaths.Root,
        };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        // The apphost looks for the runtime in DOTNET_ROOT or the global install; point it at
        // the runtime running the tests so a private SDK install works too.
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DOTNET_ROOT")))
        {
            var runtime = new DirectoryInfo(RuntimeEnvironment.GetRuntimeDirectory());
            if (runtime.Parent?.Parent?.Parent is { } root)
            {
                start.Environment["DOTNET_ROOT"] = root.FullName;
            }
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {apphost}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"spumr {string.Join(' ', args)} did not finish in 2 minutes.");
        }

        return new Result(process.ExitCode, await stdout, await stderr);
    }
}
