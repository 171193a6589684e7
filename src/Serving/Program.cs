using Spumr.Serving;

await ServingApplication.Create(args).RunAsync();
