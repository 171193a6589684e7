using MassTransit;
using Spumr.Serving;

// Serving on its own. ModelPublished arrives only in-process here (in-memory transport); across
// processes the poller follows the live pointer.
var builder = WebApplication.CreateBuilder(args);
builder.AddSpumrServing();
builder.Services.AddMassTransit(bus =>
{
    bus.AddSpumrServingConsumers();
    bus.UsingInMemory((context, transport) => transport.ConfigureEndpoints(context));
});
var app = builder.Build();
app.MapSpumrServing();
await app.RunAsync();
