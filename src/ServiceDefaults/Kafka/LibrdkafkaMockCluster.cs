using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using Confluent.Kafka;

namespace Spumr.ServiceDefaults.Kafka;

/// <summary>
/// librdkafka's built-in mock Kafka cluster (rdkafka_mock.h), called through the very librdkafka
/// that Confluent.Kafka has loaded, so the process holds one copy of the library.
/// The cluster needs an <c>rd_kafka_t</c> of its own; this class creates and owns one.
/// </summary>
internal sealed unsafe class LibrdkafkaMockCluster : IDisposable
{
    private const int ProducerType = 0;
    private const int ConfOk = 0;

    private static readonly Lazy<Exports> Native = new(Exports.Load);

    private nint _client;
    private nint _cluster;

    public LibrdkafkaMockCluster(int brokerCount)
    {
        var api = Native.Value;
        var conf = api.ConfNew();
        // Errors only: the handle has no brokers to talk to and would warn about it.
        Set(api, conf, "log_level", "3");
        var error = stackalloc byte[512];
        _client = api.New(ProducerType, conf, error, 512);
        if (_client == 0)
        {
            api.ConfDestroy(conf);
            throw new InvalidOperationException("librdkafka could not create a handle for the mock cluster: " + Marshal.PtrToStringUTF8((nint)error));
        }

        _cluster = api.MockClusterNew(_client, brokerCount);
        if (_cluster == 0)
        {
            api.Destroy(_client);
            _client = 0;
            throw new InvalidOperationException("librdkafka could not start its mock cluster.");
        }
    }

    /// <summary>The path of the librdkafka that Confluent.Kafka loaded.</summary>
    public static string LibraryPath => Native.Value.Path;

    /// <summary>Comma-separated host:port list of the mock brokers' listeners.</summary>
    public string Bootstraps => Marshal.PtrToStringUTF8(Native.Value.MockClusterBootstraps(Live)) ?? "";

    public void CreateTopic(string name, int partitions)
    {
        fixed (byte* topic = Utf8(name))
        {
            Check(Native.Value.MockTopicCreate(Live, (nint)topic, partitions, 1), $"create topic '{name}' with {partitions} partitions");
        }
    }

    public void SetGroupInitialRebalanceDelay(TimeSpan delay) =>
        Check(Native.Value.MockGroupInitialRebalanceDelayMs(Live, (int)delay.TotalMilliseconds), "set the group rebalance delay");

    /// <summary>Changes the address a broker advertises in metadata (its listener stays where it is).</summary>
    public void AdvertiseBroker(int brokerId, string host, int port)
    {
        fixed (byte* h = Utf8(host))
        {
            Native.Value.MockBrokerSetHostPort(Live, brokerId, (nint)h, port);
        }
    }

    public void Dispose()
    {
        if (_cluster != 0)
        {
            Native.Value.MockClusterDestroy(_cluster);
            _cluster = 0;
        }

        if (_client != 0)
        {
            Native.Value.Destroy(_client);
            _client = 0;
        }
    }

    private nint Live => _cluster != 0 ? _cluster : throw new ObjectDisposedException(nameof(LibrdkafkaMockCluster));

    private static void Set(Exports api, nint conf, string name, string value)
    {
        var error = stackalloc byte[512];
        int result;
        fixed (byte* n = Utf8(name), v = Utf8(value))
        {
            result = api.ConfSet(conf, (nint)n, (nint)v, error, 512);
        }

        if (result != ConfOk)
        {
            throw new InvalidOperationException($"librdkafka rejected {name}={value}: {Marshal.PtrToStringUTF8((nint)error)}");
        }
    }

    private static void Check(int err, string what)
    {
        if (err != 0)
        {
            throw new InvalidOperationException($"Mock cluster could not {what}: {Marshal.PtrToStringUTF8(Native.Value.Err2Str(err))}");
        }
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text + '\0');

    private sealed class Exports
    {
        public required string Path { get; init; }

        public required delegate* unmanaged[Cdecl]<nint> ConfNew { get; init; }

        public required delegate* unmanaged[Cdecl]<nint, void> ConfDestroy { get; init; }

        public required delegate* unmanaged[Cdecl]<nint, nint, nint, byte*, nuint, int> ConfSet { get; init; }

        public required delegate* unmanaged[Cdecl]<int, nint, byte*, nuint, nint> New { get; init; }

        public required delegate* unmanaged[Cdecl]<nint, void> Destroy { get; init; }

        public required delegate* unmanaged[Cdecl]<int, nint> Err2Str { get; init; }

        public required delegate* unmanaged[Cdecl]<nint, int, nint> MockClusterNew { get; init; }

        public required delegate* unmanaged[Cdecl]<nint, void> MockClusterDestroy { get; init; }

        public required delegate* unmanaged[Cdecl]<nint, nint> MockClusterBootstraps { get; init; }

        public required delegate* unmanaged[Cdecl]<nint, nint, int, int, int> MockTopicCreate { get; init; }

        public required delegate* unmanaged[Cdecl]<nint, int, int> MockGroupInitialRebalanceDelayMs { get; init; }

        public required delegate* unmanaged[Cdecl]<nint, int, nint, int, void> MockBrokerSetHostPort { get; init; }

        public static Exports Load()
        {
            // Let Confluent.Kafka pick and load its native library first (it chooses among the
            // glibc, musl and plain builds in runtimes/), then bind to that same loaded file.
            Library.Load();
            var path = FindLoadedLibrary()
                ?? throw new InvalidOperationException("Confluent.Kafka reports librdkafka loaded, but no librdkafka module is mapped in this process.");
            var handle = NativeLibrary.Load(path);
            nint Export(string name) => NativeLibrary.TryGetExport(handle, name, out var address)
                ? address
                : throw new InvalidOperationException($"{path} has no export '{name}'; the mock cluster needs librdkafka 2.x.");
            return new Exports
            {
                Path = path,
                ConfNew = (delegate* unmanaged[Cdecl]<nint>)Export("rd_kafka_conf_new"),
                ConfDestroy = (delegate* unmanaged[Cdecl]<nint, void>)Export("rd_kafka_conf_destroy"),
                ConfSet = (delegate* unmanaged[Cdecl]<nint, nint, nint, byte*, nuint, int>)Export("rd_kafka_conf_set"),
                New = (delegate* unmanaged[Cdecl]<int, nint, byte*, nuint, nint>)Export("rd_kafka_new"),
                Destroy = (delegate* unmanaged[Cdecl]<nint, void>)Export("rd_kafka_destroy"),
                Err2Str = (delegate* unmanaged[Cdecl]<int, nint>)Export("rd_kafka_err2str"),
                MockClusterNew = (delegate* unmanaged[Cdecl]<nint, int, nint>)Export("rd_kafka_mock_cluster_new"),
                MockClusterDestroy = (delegate* unmanaged[Cdecl]<nint, void>)Export("rd_kafka_mock_cluster_destroy"),
                MockClusterBootstraps = (delegate* unmanaged[Cdecl]<nint, nint>)Export("rd_kafka_mock_cluster_bootstraps"),
                MockTopicCreate = (delegate* unmanaged[Cdecl]<nint, nint, int, int, int>)Export("rd_kafka_mock_topic_create"),
                MockGroupInitialRebalanceDelayMs = (delegate* unmanaged[Cdecl]<nint, int, int>)Export("rd_kafka_mock_group_initial_rebalance_delay_ms"),
                MockBrokerSetHostPort = (delegate* unmanaged[Cdecl]<nint, int, nint, int, void>)Export("rd_kafka_mock_broker_set_host_port"),
            };
        }

        private static string? FindLoadedLibrary()
        {
            using var self = Process.GetCurrentProcess();
            foreach (ProcessModule module in self.Modules)
            {
                var file = System.IO.Path.GetFileName(module.FileName);
                if (file.Contains("librdkafka", StringComparison.OrdinalIgnoreCase))
                {
                    return module.FileName;
                }
            }

            return null;
        }
    }
}
