using Spumr.Core.Data;

namespace Spumr.Trainer.Tests;

/// <summary>
/// Small generated data sets with taste: every user belongs to one of a few clusters and mostly
/// interacts with that cluster's items, so a collaborative model can beat popularity by far.
/// Split per user: about 70% train, 15% validation, 15% test (at least one of each).
/// </summary>
internal static class SyntheticData
{
    public static MmrecDataset Clustered(int users = 300, int items = 200, int clusters = 5, int seed = 7)
    {
        var random = new Random(seed);
        var userIds = new List<int>();
        var itemIds = new List<int>();
        var splits = new List<SplitLabel>();
        var perCluster = items / clusters;
        for (var u = 0; u < users; u++)
        {
            var cluster = u % clusters;
            var chosen = new HashSet<int>();
            var count = random.Next(10, 21);
            while (chosen.Count < count)
            {
                // Inside the cluster, lower item ids are more popular; a few picks are anywhere.
                var item = random.NextDouble() < 0.85
                    ? (cluster * perCluster) + (int)(perCluster * Math.Pow(random.NextDouble(), 1.5))
                    : random.Next(items);
                chosen.Add(item);
            }

            var list = chosen.ToArray();
            random.Shuffle(list);
            var validation = Math.Max(1, list.Length * 15 / 100);
            var test = Math.Max(1, list.Length * 15 / 100);
            for (var k = 0; k < list.Length; k++)
            {
                userIds.Add(u);
                itemIds.Add(list[k]);
                splits.Add(k < validation ? SplitLabel.Validation : k < validation + test ? SplitLabel.Test : SplitLabel.Train);
            }
        }

        var table = new InteractionTable([.. userIds], [.. itemIds], [.. splits]);
        return new MmrecDataset("synthetic", users, items, table, []);
    }
}
