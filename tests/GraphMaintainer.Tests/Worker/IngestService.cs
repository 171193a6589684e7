using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Spumr.Ingest;
using Spumr.Ingest.Worker;
using Spumr.TestSupport;
using Xunit.Abstractions;

namespace Spumr.GraphMaintainer.Tests.Worker;

/// <summary>Ingest in a host of its own, turning replayed raw events into the canonical ones the GraphMaintainer reads.</summary>
internal sealed class IngestService : IAsyncDisposable
{
    private readonly IHost _host;

    private IngestService(IHost host)
    {
        _host = host;
        Status = host.Services.GetRequiredService<IngestStatus>();
    }

    public IngestStatus Status { get; }

    public static async Task<IngestService> StartAsync(TestKafka kafka, ITestOutputHelper output)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Kafka:BootstrapServers"] = kafka.BootstrapServers,
            ["Kafka:SessionTimeoutMs"] = "3000",
            ["Kafka:LingerMs"] = "2",
            ["Ingest:Modalities:image"] = TinyDataSet.ImageWidth.ToString(CultureInfo.InvariantCulture),
            ["Ingest:Modalities:text"] = TinyDataSet.TextWidth.ToString(CultureInfo.InvariantCulture),
        });
        builder.Logging.AddProvider(new TestLoggerProvider(output, LogLevel.Warning));
        builder.AddSpumrIngest();
        var host = builder.Build();
        await host.StartAsync();
        return new IngestService(host);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
