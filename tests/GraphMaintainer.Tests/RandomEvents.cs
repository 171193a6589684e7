using Spumr.Core.Events;
using Spumr.GraphMaintainer.State;

namespace Spumr.GraphMaintainer.Tests;

/// <summary>
/// Random event sequences over a small world: skewed item popularity (so sets overlap), repeated
/// user-item pairs, features arriving before and after interactions and being replaced, zero and
/// identical vectors, items that never get a vector, and re-sent event ids (with the same or a
/// different payload). Small integer feature values make exact similarity ties common.
/// </summary>
internal static class RandomEvents
{
    public static readonly ModalitySpec[] Modalities = [new("image", 5), new("text", 3)];

    public static List<object> Generate(Random rnd, int users, int items, int count)
    {
        var events = new List<object>(count);
        var next = 0;
        for (var n = 0; n < count; n++)
        {
            var roll = rnd.NextDouble();
            if (events.Count > 0 && roll < 0.08)
            {
                // Re-send an earlier event id: sometimes the same payload, sometimes a different one.
                var old = events[rnd.Next(events.Count)];
                events.Add(rnd.Next(2) == 0 ? old : Mutate(rnd, old, users, items));
            }
            else if (roll < 0.30)
            {
                var m = Modalities[rnd.Next(Modalities.Length)];
                events.Add(new ItemFeaturesEvent($"f{next++}", Item(rnd, items), m.Name, Vector(rnd, m.Width)));
            }
            else
            {
                events.Add(new InteractionEvent($"x{next++}", $"u{rnd.Next(users)}", Item(rnd, items), rnd.Next(1_000_000), rnd.Next(3) == 0 ? null : rnd.Next(1, 6)));
            }
        }

        return events;
    }

    /// <summary>Applies events in random-sized batches, calling <paramref name="check"/> after some of them.</summary>
    public static void ApplyInBatches(GraphState state, List<object> events, Random rnd, int maxBatch, Action<int>? check = null)
    {
        var i = 0;
        var batch = 0;
        while (i < events.Count)
        {
            var size = rnd.Next(1, maxBatch + 1);
            var slice = events.Skip(i).Take(size).ToList();
            state.ApplyBatch([.. slice.OfType<InteractionEvent>()], [.. slice.OfType<ItemFeaturesEvent>()]);
            i += size;
            check?.Invoke(batch++);
        }
    }

    private static string Item(Random rnd, int items)
    {
        // Squared uniform: low ids are popular.
        var x = rnd.NextDouble();
        return $"i{(int)(x * x * items)}";
    }

    private static float[] Vector(Random rnd, int width)
    {
        var v = new float[width];
        if (rnd.Next(12) == 0)
        {
            return v; // a zero vector: stored, but no edges
        }

        for (var d = 0; d < width; d++)
        {
            v[d] = rnd.Next(-1, 3);
        }

        return v;
    }

    private static object Mutate(Random rnd, object e, int users, int items) => e switch
    {
        InteractionEvent i => i with { UserId = $"u{rnd.Next(users)}", ItemId = Item(rnd, items) },
        ItemFeaturesEvent f => f with { Vector = Vector(rnd, f.Vector.Length) },
        _ => e,
    };
}
