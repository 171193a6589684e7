using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Spumr.ServiceDefaults.Kafka;

/// <summary>What <see cref="DevKafkaBroker.Start"/> sets up.</summary>
public sealed record DevKafkaBrokerOptions
{
    /// <summary>Loopback port to serve on. 0 uses the mock cluster's own random port directly
    /// (in-process use, tests); any other port is relayed to it (<c>spumr broker</c>).</summary>
    public int Port { get; init; }

    /// <summary>Topics to create; null creates <see cref="DevTopicPlan.Default"/>.</summary>
    public IReadOnlyList<TopicSpec>? Topics { get; init; }
}

/// <summary>
/// A development Kafka broker: librdkafka's mock cluster (one broker, in memory, the real Kafka
/// protocol) with Spumr's topics created. Any Kafka client can connect; service code cannot tell
/// it from real Kafka except by its limits: each partition keeps only its newest 5 MiB or 100,000
/// batches, there is no compaction and no admin API.
/// </summary>
public sealed class DevKafkaBroker : IAsyncDisposable
{
    private readonly LibrdkafkaMockCluster _cluster;
    private readonly TcpPortForwarder? _forwarder;
    private readonly List<TopicSpec> _topics = [];
    private readonly Lock _topicsLock = new();

    private DevKafkaBroker(LibrdkafkaMockCluster cluster, TcpPortForwarder? forwarder, string bootstrapServers)
    {
        _cluster = cluster;
        _forwarder = forwarder;
        BootstrapServers = bootstrapServers;
    }

    /// <summary>host:port for <c>bootstrap.servers</c>.</summary>
    public string BootstrapServers { get; }

    public IReadOnlyList<TopicSpec> Topics
    {
        get
        {
            lock (_topicsLock)
            {
                return [.. _topics];
            }
        }
    }

    /// <summary>Starts the mock cluster, the port relay if a port is asked for, and creates the topics.</summary>
    /// <exception cref="DevKafkaBrokerException">The port is taken or librdkafka refused.</exception>
    public static DevKafkaBroker Start(DevKafkaBrokerOptions? options = null, ILogger? logger = null)
    {
        options ??= new DevKafkaBrokerOptions();
        logger ??= NullLogger.Instance;
        if (options.Port is < 0 or > 65535)
        {
            throw new DevKafkaBrokerException($"port {options.Port} is not a TCP port (0..65535)");
        }

        LibrdkafkaMockCluster cluster;
        try
        {
            cluster = new LibrdkafkaMockCluster(brokerCount: 1);
        }
        catch (InvalidOperationException e)
        {
            throw new DevKafkaBrokerException(e.Message, e);
        }

        TcpPortForwarder? forwarder = null;
        try
        {
            // A group's first join otherwise waits 3 s for more members; no one else is coming.
            cluster.SetGroupInitialRebalanceDelay(TimeSpan.Zero);
            var listener = ParseEndPoint(cluster.Bootstraps);
            var bootstrap = cluster.Bootstraps;
            if (options.Port != 0)
            {
                try
                {
                    forwarder = TcpPortForwarder.Start(new IPEndPoint(IPAddress.Loopback, options.Port), listener);
                }
                catch (SocketException e)
                {
                    throw new DevKafkaBrokerException($"cannot listen on 127.0.0.1:{options.Port}: {e.Message}", e);
                }

                // Clients learn broker addresses from metadata: advertise the relayed port so
                // that every connection, not only the bootstrap one, goes through it.
                cluster.AdvertiseBroker(1, "127.0.0.1", options.Port);
                bootstrap = $"127.0.0.1:{options.Port}";
            }

            var broker = new DevKafkaBroker(cluster, forwarder, bootstrap);
            logger.LogInformation(
                "Development Kafka broker on {Bootstrap}: librdkafka {Version} mock cluster ({Library}){Relay}. In memory; each partition keeps only its newest 5 MiB or 100,000 batches, so topics get enough partitions for the bundled data sets",
                bootstrap,
                Library.VersionString,
                LibrdkafkaMockCluster.LibraryPath,
                forwarder is null ? "" : $", relayed from {listener}");
            foreach (var topic in options.Topics ?? DevTopicPlan.Default())
            {
                broker.CreateTopic(topic);
                logger.LogInformation("Topic {Topic}: {Partitions} partitions. {Reason}", topic.Name, topic.Partitions, topic.Reason);
            }

            return broker;
        }
        catch
        {
            forwarder?.DisposeAsync().AsTask().GetAwaiter().GetResult();
            cluster.Dispose();
            throw;
        }
    }

    /// <summary>Creates a topic (the mock has no admin API; Kafka clients cannot create topics here).</summary>
    public void CreateTopic(TopicSpec topic)
    {
        ArgumentNullException.ThrowIfNull(topic);
        ArgumentException.ThrowIfNullOrWhiteSpace(topic.Name);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(topic.Partitions);
        try
        {
            _cluster.CreateTopic(topic.Name, topic.Partitions);
        }
        catch (InvalidOperationException e)
        {
            throw new DevKafkaBrokerException(e.Message, e);
        }

        lock (_topicsLock)
        {
            _topics.Add(topic);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_forwarder is not null)
        {
            await _forwarder.DisposeAsync();
        }

        _cluster.Dispose();
    }

    private static IPEndPoint ParseEndPoint(string bootstraps)
    {
        var first = bootstraps.Split(',')[0];
        var colon = first.LastIndexOf(':');
        if (colon < 0 || !int.TryParse(first.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port))
        {
            throw new DevKafkaBrokerException($"mock cluster reported an unreadable address '{bootstraps}'");
        }

        var host = first[..colon];
        var address = host is "localhost" ? IPAddress.Loopback : IPAddress.Parse(host);
        return new IPEndPoint(address, port);
    }
}

/// <summary>The development broker could not start; the message says why.</summary>
public sealed class DevKafkaBrokerException : Exception
{
    public DevKafkaBrokerException(string message)
        : base(message)
    {
    }

    public DevKafkaBrokerException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
