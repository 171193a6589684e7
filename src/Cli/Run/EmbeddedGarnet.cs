using System.Net;
using System.Net.Sockets;
using Garnet;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Spumr.Cli.Run;

/// <summary>
/// Garnet (Microsoft's Redis-compatible server) in this process, on a loopback port: the embedded
/// Redis of <c>spumr run</c>. In memory only (no checkpoints, no AOF); Lua on, since the embedding
/// store switches versions with scripts.
/// </summary>
internal sealed class EmbeddedGarnet : IDisposable
{
    private readonly GarnetServer _server;

    private EmbeddedGarnet(GarnetServer server, int port)
    {
        _server = server;
        Port = port;
    }

    public int Port { get; }

    public string ConnectionString => $"127.0.0.1:{Port}";

    public static EmbeddedGarnet Start(int port = 0, ILoggerFactory? loggers = null)
    {
        if (port == 0)
        {
            port = FreeLoopbackPort();
        }

        string[] args =
        [
            "--bind", "127.0.0.1",
            "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--lua",
        ];

        // Passing a logger factory keeps Garnet's banner and console logger out of the run's output.
        var server = new GarnetServer(args, loggers ?? NullLoggerFactory.Instance, cleanupDir: true);
        server.Start();
        return new EmbeddedGarnet(server, port);
    }

    public void Dispose() => _server.Dispose();

    private static int FreeLoopbackPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
