using Microsoft.Extensions.Configuration.Memory;
using Spumr.GraphMaintainer;
using Spumr.ServiceDefaults.Messaging;

var builder = Host.CreateApplicationBuilder(args);

// Lowest-precedence defaults for a standalone run beside `spumr broker`, Ingest and a local Redis
// with the bundled data: any appsettings file, environment variable (GraphMaintainer__Redis,
// GraphMaintainer__Graphs__Modalities__0__Width) or argument overrides them.
builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource
{
    InitialData = new Dictionary<string, string?>
    {
        ["Kafka:BootstrapServers"] = "localhost:9092",
        ["GraphMaintainer:Redis"] = "127.0.0.1:6379",
        ["GraphMaintainer:SnapshotDirectory"] = "graph-snapshots",
        ["GraphMaintainer:Graphs:Modalities:0:Name"] = "image",
        ["GraphMaintainer:Graphs:Modalities:0:Width"] = "256",
        ["GraphMaintainer:Graphs:Modalities:1:Name"] = "text",
        ["GraphMaintainer:Graphs:Modalities:1:Width"] = "128",
    },
});

// The bus first: it then starts before and stops after the worker, which announces its final snapshot on the way out.
builder.AddSpumrMessaging();
builder.AddSpumrGraphMaintainer();
using var host = builder.Build();
await host.RunAsync();
