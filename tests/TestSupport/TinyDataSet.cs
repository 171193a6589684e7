using Spumr.Core.Data;

namespace Spumr.TestSupport;

/// <summary>Small MMRec-shaped data sets built in memory, deterministic from a seed.</summary>
public static class TinyDataSet
{
    public const int ImageWidth = 8;
    public const int TextWidth = 4;

    public static IReadOnlyDictionary<string, int> Modalities { get; } = new Dictionary<string, int> { ["image"] = ImageWidth, ["text"] = TextWidth };

    /// <summary>Users u0.., items i0.., timestamps from 2010 on with ties, about 20% not in train.</summary>
    public static MmrecDataset Create(int users, int items, int interactionsPerUser, int seed = 7, string name = "tiny", bool withTimestamps = true)
    {
        var random = new Random(seed);
        var u = new List<int>();
        var it = new List<int>();
        var splits = new List<SplitLabel>();
        var ratings = new List<float>();
        var times = new List<long>();
        for (var user = 0; user < users; user++)
        {
            var chosen = new HashSet<int>();
            while (chosen.Count < Math.Min(interactionsPerUser, items))
            {
                chosen.Add(random.Next(items));
            }

            foreach (var item in chosen)
            {
                u.Add(user);
                it.Add(item);
                splits.Add(random.NextDouble() < 0.8 ? SplitLabel.Train : (random.NextDouble() < 0.5 ? SplitLabel.Validation : SplitLabel.Test));
                ratings.Add(1 + random.Next(5));
                // Day resolution, as in the Amazon data, so many events share a timestamp.
                times.Add(1_262_304_000 + (86_400L * random.Next(30)));
            }
        }

        var table = new InteractionTable([.. u], [.. it], [.. splits], [.. ratings], withTimestamps ? [.. times] : null);
        FeatureMatrix Features(string modality, int width)
        {
            var data = new float[items * width];
            for (var i = 0; i < data.Length; i++)
            {
                data[i] = (float)(random.NextDouble() - 0.5);
            }

            return new FeatureMatrix(modality, items, width, data);
        }

        return new MmrecDataset(
            name,
            users,
            items,
            table,
            [Features("image", ImageWidth), Features("text", TextWidth)],
            [.. Enumerable.Range(0, users).Select(x => $"U{x:D5}")],
            [.. Enumerable.Range(0, items).Select(x => $"B{x:D9}")]);
    }
}
