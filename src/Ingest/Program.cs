using Microsoft.Extensions.Configuration.Memory;
using Spumr.Ingest;

var builder = Host.CreateApplicationBuilder(args);

// Lowest-precedence defaults for a standalone run beside `spumr broker` with the bundled data:
// any appsettings file, environment variable (Kafka__BootstrapServers, Ingest__Modalities__image)
// or argument overrides them. Kept out of an appsettings.json, which would be copied into every
// project that references this one.
builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource
{
    InitialData = new Dictionary<string, string?>
    {
        ["Kafka:BootstrapServers"] = "localhost:9092",
        ["Ingest:Modalities:image"] = "256",
        ["Ingest:Modalities:text"] = "128",
    },
});
builder.AddSpumrIngest();
using var host = builder.Build();
await host.RunAsync();
