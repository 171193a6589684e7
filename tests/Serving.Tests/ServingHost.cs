using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Spumr.Serving.Models;

namespace Spumr.Serving.Tests;

/// <summary>The Serving API on real Kestrel at a free loopback port, built by the same factory as <c>spumr serve</c>.</summary>
internal sealed class ServingHost : IAsyncDisposable
{
    private ServingHost(WebApplication app)
    {
        App = app;
        Client = new HttpClient { BaseAddress = new Uri(app.Urls.First()), Timeout = TimeSpan.FromSeconds(30) };
    }

    public WebApplication App { get; }

    public HttpClient Client { get; }

    public LiveModel Live => App.Services.GetRequiredService<LiveModel>();

    public IBus Bus => App.Services.GetRequiredService<IBus>();

    public static async Task<ServingHost> StartAsync(
        string redis,
        string prefix,
        TimeSpan? pollInterval = null,
        int userCacheSize = 10_000,
        IReadOnlyDictionary<string, string?>? more = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Serving:Redis"] = redis,
            ["Serving:KeyPrefix"] = prefix,
            ["Serving:Urls"] = "http://127.0.0.1:0",
            ["Serving:PollInterval"] = (pollInterval ?? TimeSpan.FromMilliseconds(100)).ToString(),
            ["Serving:RedisTimeout"] = "00:00:03",
            ["Serving:UserCacheSize"] = userCacheSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Serving:InstanceId"] = "test-" + Guid.NewGuid().ToString("N")[..8],
            ["Logging:LogLevel:Default"] = "None",
        };
        foreach (var (key, value) in more ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var app = ServingApplication.Create([], settings);
        await app.StartAsync();
        return new ServingHost(app);
    }

    public async Task WaitForVersionAsync(long version, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (Live.Current?.Version != version)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Serving did not load version {version} (it has {Live.Current?.Version}).");
            }

            await Task.Delay(10);
        }
    }

    public async Task<(int Status, JsonElement Body)> GetJsonAsync(string path)
    {
        using var response = await Client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        var body = text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
        return ((int)response.StatusCode, body);
    }

    public async Task<T> GetAsync<T>(string path)
    {
        using var response = await Client.GetAsync(path);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<T>())!;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
