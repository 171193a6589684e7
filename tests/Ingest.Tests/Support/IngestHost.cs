using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Spumr.Ingest.Worker;
using Spumr.TestSupport;
using Xunit.Abstractions;

namespace Spumr.Ingest.Tests.Support;

/// <summary>The Ingest worker in a Generic Host of its own, configured like a deployment would be.</summary>
internal sealed class IngestHost : IAsyncDisposable
{
    private readonly IHost _host;

    private IngestHost(IHost host)
    {
        _host = host;
        Status = host.Services.GetRequiredService<IngestStatus>();
    }

    public IngestStatus Status { get; }

    public IServiceProvider Services => _host.Services;

    public static Dictionary<string, string?> Settings(TestKafka kafka) => new()
    {
        ["Kafka:BootstrapServers"] = kafka.BootstrapServers,
        ["Kafka:SessionTimeoutMs"] = "3000",
        ["Kafka:LingerMs"] = "2",
        ["Ingest:Modalities:image"] = TinyDataSet.ImageWidth.ToString(CultureInfo.InvariantCulture),
        ["Ingest:Modalities:text"] = TinyDataSet.TextWidth.ToString(CultureInfo.InvariantCulture),
    };

    public static IHost Build(IDictionary<string, string?> settings, ITestOutputHelper output)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.AddProvider(new TestLoggerProvider(output));
        builder.AddSpumrIngest();
        return builder.Build();
    }

    public static async Task<IngestHost> StartAsync(TestKafka kafka, ITestOutputHelper output, Action<Dictionary<string, string?>>? configure = null)
    {
        var settings = Settings(kafka);
        configure?.Invoke(settings);
        var host = Build(settings, output);
        await host.StartAsync();
        return new IngestHost(host);
    }

    public Task StopAsync() => _host.StopAsync();

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
