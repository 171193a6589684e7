using System.ComponentModel;
using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Configuration;
using Spectre.Console;
using Spectre.Console.Cli;
using Spumr.Serving;

namespace Spumr.Cli.Commands;

/// <summary><c>spumr serve</c>: the recommendation HTTP API over the embeddings in Redis.</summary>
internal sealed class ServeCommand : AsyncCommand<ServeCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--redis <CONNECTION>")]
        [Description("Redis holding the embedding versions (StackExchange.Redis configuration, default 127.0.0.1:6379).")]
        public string? Redis { get; init; }

        [CommandOption("--urls <URLS>")]
        [Description("Addresses to listen on, ';'-separated (default http://127.0.0.1:8080).")]
        public string? Urls { get; init; }

        [CommandOption("--prefix <PREFIX>")]
        [Description("Redis key prefix of the embedding store (default spumr).")]
        public string? Prefix { get; init; }

        [CommandOption("--cache-size <USERS>")]
        [Description("User vectors kept in memory per version (default 100000; 0: none).")]
        public int? CacheSize { get; init; }

        [CommandOption("--poll-interval <SECONDS>")]
        [Description("How often to check the live version in Redis, in seconds (default 5).")]
        public double? PollSeconds { get; init; }

        public override ValidationResult Validate()
        {
            if (CacheSize is < 0)
            {
                return ValidationResult.Error($"--cache-size {CacheSize} is negative.");
            }

            if (PollSeconds is { } s && (double.IsNaN(s) || s < 0.05 || s > 3600))
            {
                return ValidationResult.Error($"--poll-interval {s.ToString(CultureInfo.InvariantCulture)} is outside 0.05 .. 3600 seconds.");
            }

            return ValidationResult.Success();
        }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        // Start-up failures are reported below as one line; the host's own error log would add a stack trace.
        var overrides = new Dictionary<string, string?> { ["Logging:LogLevel:Microsoft.Extensions.Hosting.Internal.Host"] = "None" };
        void Set(string key, string? value)
        {
            if (value is not null)
            {
                overrides[$"{ServingOptions.Section}:{key}"] = value;
            }
        }

        Set(nameof(ServingOptions.Redis), settings.Redis);
        Set(nameof(ServingOptions.Urls), settings.Urls);
        Set(nameof(ServingOptions.KeyPrefix), settings.Prefix);
        Set(nameof(ServingOptions.UserCacheSize), settings.CacheSize?.ToString(CultureInfo.InvariantCulture));
        Set(nameof(ServingOptions.PollInterval), settings.PollSeconds is { } s ? TimeSpan.FromSeconds(s).ToString("c", CultureInfo.InvariantCulture) : null);

        await using var app = ServingApplication.Create([], overrides);
        var options = app.Configuration.GetSection(ServingOptions.Section).Get<ServingOptions>() ?? new ServingOptions();
        if (options.Problems() is { Count: > 0 } problems)
        {
            return Fail(string.Join(" ", problems));
        }

        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (IOException e)
        {
            // Kestrel could not bind (address in use, bad host): the user's to fix.
            return Fail(e.Message);
        }

        AnsiConsole.MarkupLineInterpolated($"Serving on [bold]{string.Join(" ", app.Urls)}[/] (Ctrl+C to stop)");
        // Returns after Ctrl+C or SIGTERM (the host's console lifetime) and a graceful stop.
        await app.WaitForShutdownAsync(cancellationToken);
        return 0;
    }

    // Like Program's errors: one plain line on stderr, exit code 64 (usage).
    private static int Fail(string message)
    {
        Console.Error.WriteLine($"error: {message.ReplaceLineEndings(" ")}");
        return 64;
    }
}
