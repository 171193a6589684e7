using Spumr.GraphMaintainer.Graphs;

namespace Spumr.GraphMaintainer.Tests;

/// <summary>
/// Brute force, written from the definitions with no shared machinery beyond the canonical
/// arithmetic (<see cref="UnitVectors"/>): every pair, then sort. For checking the fast builders.
/// </summary>
internal static class ReferenceGraphs
{
    public static SimilarityGraphs Build(GraphSource source, int k)
    {
        var names = source.Modalities.Select(m => m.Modality).ToList();
        var items = new Dictionary<string, CsrGraph>();
        var users = new Dictionary<string, CsrGraph>();
        foreach (var f in source.Modalities)
        {
            var itemUnit = new float[source.ItemCount][];
            for (var i = 0; i < source.ItemCount; i++)
            {
                if (f.IsPresent(i))
                {
                    var u = new float[f.Width];
                    itemUnit[i] = UnitVectors.Normalize(f.Row(i), u) ? u : null!;
                }
            }

            items[f.Modality] = Cosine(itemUnit, k);
            var userUnit = new float[source.UserCount][];
            for (var u = 0; u < source.UserCount; u++)
            {
                var sum = new float[f.Width];
                var n = 0;
                foreach (var i in source.UserItems.SetOf(u))
                {
                    if (f.IsPresent(i))
                    {
                        for (var d = 0; d < f.Width; d++)
                        {
                            sum[d] += f.Row(i)[d];
                        }

                        n++;
                    }
                }

                var unit = new float[f.Width];
                userUnit[u] = n > 0 && UnitVectors.Normalize(sum, unit) ? unit : null!;
            }

            users[f.Modality] = Cosine(userUnit, k);
        }

        var jaccard = Overlap(source.UserItems, (c, a, b) => (float)((double)c / (a + b - c)), k);
        var cooc = Overlap(source.ItemUsers, (c, a, b) => (float)(c / Math.Sqrt((double)a * b)), k);
        return new SimilarityGraphs(k, names, items, users, jaccard, cooc);
    }

    private static CsrGraph Cosine(float[][] unit, int k)
    {
        var lists = new List<(int, float)>[unit.Length];
        for (var i = 0; i < unit.Length; i++)
        {
            lists[i] = [];
            if (unit[i] is null)
            {
                continue;
            }

            for (var j = 0; j < unit.Length; j++)
            {
                if (j != i && unit[j] is not null)
                {
                    var s = UnitVectors.Dot(unit[i], unit[j]);
                    if (s > 0f)
                    {
                        lists[i].Add((j, s));
                    }
                }
            }
        }

        return ToCsr(lists, k);
    }

    private static CsrGraph Overlap(SetFamily sets, Func<int, int, int, float> weight, int k)
    {
        var lists = new List<(int, float)>[sets.Count];
        for (var i = 0; i < sets.Count; i++)
        {
            lists[i] = [];
            for (var j = 0; j < sets.Count; j++)
            {
                if (j == i)
                {
                    continue;
                }

                var c = sets.SetOf(i).ToArray().Intersect(sets.SetOf(j).ToArray()).Count();
                if (c > 0)
                {
                    lists[i].Add((j, weight(c, sets.SetOf(i).Length, sets.SetOf(j).Length)));
                }
            }
        }

        return ToCsr(lists, k);
    }

    private static CsrGraph ToCsr(List<(int Id, float W)>[] lists, int k)
    {
        var offsets = new int[lists.Length + 1];
        var cols = new List<int>();
        var vals = new List<float>();
        for (var i = 0; i < lists.Length; i++)
        {
            foreach (var (id, w) in lists[i].OrderByDescending(x => x.W).ThenBy(x => x.Id).Take(k))
            {
                cols.Add(id);
                vals.Add(w);
            }

            offsets[i + 1] = cols.Count;
        }

        return new CsrGraph(lists.Length, lists.Length, offsets, [.. cols], [.. vals]);
    }
}
