using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Options;
using Spumr.Core.Embeddings;
using Spumr.ServiceDefaults.Redis;

// Publishes random embeddings of a chosen size to a Redis server and times it; optionally writes
// seen items and the user ids (for the HTTP load test). Usage:
//   Spumr.Bench.EmbeddingStore --redis 127.0.0.1:6390 [--prefix bench] [--users 19445] [--items 7050]
//       [--dim 64] [--repeat 5] [--seen-per-user 0] [--user-ids-file path] [--cold-users 0]
var settings = Arguments.Parse(args);
var redisAddress = settings.Text("redis", "127.0.0.1:6379");
var prefix = settings.Text("prefix", "bench");
var users = settings.Number("users", 19_445);
var items = settings.Number("items", 7_050);
var dim = settings.Number("dim", 64);
var repeat = settings.Number("repeat", 5);
var seenPerUser = settings.Number("seen-per-user", 0);
var coldUsers = settings.Number("cold-users", 0);
var userIdsFile = settings.TextOrNull("user-ids-file");

using var redis = await RedisConnector.ConnectAsync(redisAddress, TimeSpan.FromSeconds(30));
var options = Options.Create(new EmbeddingStoreOptions { KeyPrefix = prefix, KeepVersions = 2 });
var store = new RedisEmbeddingStore(redis, options);
var publication = RandomPublication(users, items, dim, seed: 42);
var inv = CultureInfo.InvariantCulture;
Console.WriteLine(string.Create(inv, $"redis {redisAddress}, prefix {prefix}: {users:N0} users x {dim}, {items:N0} items x {dim} (float32), keep 2 versions"));

var times = new List<double>();
for (var run = 1; run <= repeat; run++)
{
    var clock = Stopwatch.StartNew();
    var version = await store.PublishAsync(publication);
    clock.Stop();
    times.Add(clock.Elapsed.TotalSeconds);
    Console.WriteLine(string.Create(inv, $"publish run {run}: version {version} live after {clock.Elapsed.TotalSeconds:0.000} s (includes collecting the version that fell out)"));
}

times.Sort();
Console.WriteLine(string.Create(inv, $"publish: min {times[0]:0.000} s, median {times[times.Count / 2]:0.000} s, max {times[^1]:0.000} s over {times.Count} runs"));

if (seenPerUser > 0)
{
    var random = new Random(7);
    var seen = publication.UserIds.Select(u => new UserSeenItems(u, Enumerable.Range(0, seenPerUser).Select(_ => publication.ItemIds[random.Next(items)]).ToHashSet())).ToList();
    var clock = Stopwatch.StartNew();
    await new RedisSeenItemsStore(redis, options).AddAsync(seen);
    Console.WriteLine(string.Create(inv, $"seen items: {users:N0} users x {seenPerUser} items written in {clock.Elapsed.TotalSeconds:0.000} s"));
}

if (userIdsFile is not null)
{
    // Cold users have no vector in the version (and no seen items): they are served from popularity.
    var ids = publication.UserIds.Concat(Enumerable.Range(0, coldUsers).Select(i => $"cold{i}"));
    await File.WriteAllLinesAsync(userIdsFile, ids);
    Console.WriteLine($"user ids written to {userIdsFile}");
}

static EmbeddingPublication RandomPublication(int users, int items, int dim, int seed)
{
    var random = new Random(seed);
    var userMatrix = new float[users * dim];
    var itemMatrix = new float[items * dim];
    for (var i = 0; i < userMatrix.Length; i++)
    {
        userMatrix[i] = (float)random.NextDouble() - 0.5f;
    }

    for (var i = 0; i < itemMatrix.Length; i++)
    {
        itemMatrix[i] = (float)random.NextDouble() - 0.5f;
    }

    // Amazon-like ids: 'A' + 13 characters for users, 'B' + 9 for items.
    var userIds = Enumerable.Range(0, users).Select(u => "A" + u.ToString("D13", CultureInfo.InvariantCulture)).ToArray();
    var itemIds = Enumerable.Range(0, items).Select(i => "B" + i.ToString("D9", CultureInfo.InvariantCulture)).ToArray();
    var popularity = Enumerable.Range(0, Math.Min(items, 1000)).Select(i => new PopularItem(itemIds[i], 5000 - i)).ToArray();
    var metrics = new Dictionary<string, double> { ["validation/recall@20"] = 0.0712, ["validation/ndcg@20"] = 0.0311 };
    return new EmbeddingPublication("random", dim, userIds, userMatrix, itemIds, itemMatrix, popularity, metrics, "bench");
}

/// <summary>"--name value" pairs.</summary>
internal sealed class Arguments
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    public static Arguments Parse(string[] args)
    {
        var parsed = new Arguments();
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"Expected '--name value' pairs, got '{args[i]}'.");
            }

            parsed._values[args[i][2..]] = args[++i];
        }

        return parsed;
    }

    public string Text(string name, string fallback) => _values.GetValueOrDefault(name, fallback);

    public string? TextOrNull(string name) => _values.GetValueOrDefault(name);

    public int Number(string name, int fallback) =>
        _values.TryGetValue(name, out var text) ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;
}
