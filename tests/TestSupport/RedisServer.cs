using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using StackExchange.Redis;

namespace Spumr.TestSupport;

/// <summary>
/// A real redis-server on a free loopback port, as a child process of the test run; stopped (killed)
/// on dispose. Optionally with an append-only file, so it can be killed and restarted with its data.
/// </summary>
public sealed class RedisServer : IDisposable
{
    private readonly bool _durable;
    private readonly string _dataDir;
    private Process? _process;

    public RedisServer()
        : this(durable: false)
    {
    }

    private RedisServer(bool durable)
    {
        _durable = durable;
        _dataDir = Directory.CreateTempSubdirectory("spumr-redis-").FullName;
        Port = FreePort();
        Start();
        Connection = ConnectionMultiplexer.Connect(Spumr.ServiceDefaults.Redis.RedisConnector.Options(Endpoint, TimeSpan.FromSeconds(5)));
    }

    /// <summary>A server with an fsync-always append-only file: killed and restarted, it keeps its data.</summary>
    public static RedisServer Durable() => new(durable: true);

    public int Port { get; }

    public string Endpoint => $"127.0.0.1:{Port}";

    public ConnectionMultiplexer Connection { get; }

    public void Start()
    {
        var executable = Find("redis-server")
            ?? throw new InvalidOperationException("redis-server is not installed; the integration tests need it (Debian: apt-get install -y redis-server, or run ./test.sh as root).");
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _dataDir,
        };
        foreach (var arg in new[] { "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--dir", _dataDir })
        {
            start.ArgumentList.Add(arg);
        }

        start.ArgumentList.Add("--appendonly");
        start.ArgumentList.Add(_durable ? "yes" : "no");
        if (_durable)
        {
            start.ArgumentList.Add("--appendfsync");
            start.ArgumentList.Add("always");
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start.");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"redis-server exited at start with code {_process.ExitCode} (port {Port}).");
            }

            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, Port);
                using var stream = client.GetStream();
                stream.Write("PING\r\n"u8);
                var buffer = new byte[16];
                var read = stream.Read(buffer);
                if (read > 0 && buffer[0] == (byte)'+')
                {
                    return;
                }
            }
            catch (SocketException)
            {
            }

            Thread.Sleep(20);
        }

        throw new InvalidOperationException($"redis-server on port {Port} did not answer PING within 10 s.");
    }

    /// <summary>Kills the server, as a crash or an outage would.</summary>
    public void Stop()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            _process.WaitForExit();
        }

        _process?.Dispose();
        _process = null;
    }

    public void Dispose()
    {
        Connection.Dispose();
        Stop();
        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (IOException)
        {
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

    private static string? Find(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':')
            .Append("/usr/bin").Append("/usr/sbin")
            .Select(dir => Path.Combine(dir, program))
            .FirstOrDefault(File.Exists);
}
