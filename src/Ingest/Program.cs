using Microsoft.Extensions.Configuration.Memory;
using Spumr.Ingest;
using Spumr.ServiceDefaults.Hosting;

var builder = WebApplication.CreateBuilder(args);

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
builder.UseSpumrManagementUrls("http://127.0.0.1:8081");
builder.AddSpumrServiceDefaults();
builder.AddSpumrIngest();
await using var app = builder.Build();
app.MapSpumrManagementEndpoints();
await app.RunAsync();
