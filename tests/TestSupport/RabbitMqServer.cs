using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Spumr.TestSupport;

/// <summary>
/// A private RabbitMQ node (Debian's rabbitmq-server) on free loopback ports, with its own epmd, data
/// and log folders, as child processes of the test run; both are killed on dispose. Starting takes
/// 7 to 15 s, so share one per test class.
/// </summary>
public sealed class RabbitMqServer : IDisposable
{
    public const string Script = "/usr/lib/rabbitmq/bin/rabbitmq-server";

    private readonly string _dir;
    private readonly Process _epmd;
    private readonly Process _node;

    public RabbitMqServer()
    {
        if (!IsInstalled)
        {
            throw new InvalidOperationException("rabbitmq-server is not installed (Debian: apt-get install -y rabbitmq-server, or run ./test.sh as root).");
        }

        _dir = Directory.CreateTempSubdirectory("spumr-rabbitmq-").FullName;
        Port = FreePort();
        var epmdPort = FreePort();
        var epmd = new ProcessStartInfo("epmd") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        epmd.ArgumentList.Add("-port");
        epmd.ArgumentList.Add(epmdPort.ToString(CultureInfo.InvariantCulture));
        _epmd = Start(epmd);

        var node = new ProcessStartInfo(Script) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _dir };
        File.WriteAllText(Path.Combine(_dir, "enabled_plugins"), "[].");
        var env = node.Environment;
        env["ERL_EPMD_PORT"] = epmdPort.ToString(CultureInfo.InvariantCulture);
        env["RABBITMQ_NODE_PORT"] = Port.ToString(CultureInfo.InvariantCulture);
        env["RABBITMQ_DIST_PORT"] = FreePort().ToString(CultureInfo.InvariantCulture);
        env["RABBITMQ_NODENAME"] = $"spumr{Port}@localhost";
        env["RABBITMQ_MNESIA_BASE"] = Path.Combine(_dir, "mnesia");
        env["RABBITMQ_LOG_BASE"] = Path.Combine(_dir, "log");
        env["RABBITMQ_PID_FILE"] = Path.Combine(_dir, "pid");
        env["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(_dir, "enabled_plugins");
        _node = Start(node);

        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!Accepts(Port))
        {
            if (_node.HasExited || DateTime.UtcNow > deadline)
            {
                Dispose();
                throw new InvalidOperationException($"RabbitMQ on port {Port} did not start within 60 s (logs in {_dir}/log).");
            }

            Thread.Sleep(100);
        }
    }

    public static bool IsInstalled => File.Exists(Script);

    public int Port { get; }

    public void Dispose()
    {
        foreach (var process in new[] { _node, _epmd })
        {
            if (process is { HasExited: false })
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
            }

            process?.Dispose();
        }

        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static Process Start(ProcessStartInfo start)
    {
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{start.FileName} did not start.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static bool Accepts(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}

/// <summary>A test that needs rabbitmq-server; skipped, saying how to install it, where it is missing.</summary>
public sealed class RabbitMqFactAttribute : FactAttribute
{
    public RabbitMqFactAttribute()
    {
        if (!RabbitMqServer.IsInstalled)
        {
            Skip = "rabbitmq-server is not installed (Debian: apt-get install -y rabbitmq-server; ./test.sh installs it as root).";
        }
    }
}
