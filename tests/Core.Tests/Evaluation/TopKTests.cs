using Spumr.Core.Evaluation;

namespace Spumr.Core.Tests.Evaluation;

public sealed class TopKTests
{
    [Fact]
    public void Orders_by_score_then_by_lower_item_id()
    {
        // item:    0    1    2    3    4    5
        float[] s = [0.5f, 0.9f, 0.5f, 0.1f, 0.9f, 0.5f];
        // 0.9 ties between 1 and 4 -> 1, 4; 0.5 ties between 0, 2, 5 -> 0, 2, 5; then 3.
        var top = new int[6];
        Assert.Equal(6, TopK.Select(s, top));
        Assert.Equal([1, 4, 0, 2, 5, 3], top);

        var top3 = new int[3];
        Assert.Equal(3, TopK.Select(s, top3));
        Assert.Equal([1, 4, 0], top3);
    }

    [Fact]
    public void Skips_excluded_items_and_tolerates_repeats_in_the_exclusion()
    {
        float[] s = [0.5f, 0.9f, 0.5f, 0.1f, 0.9f, 0.5f];
        var top = new int[3];
        // Excluding 1 and 2 (2 twice): remaining 4 (0.9), 0 (0.5), 5 (0.5), 3 (0.1).
        Assert.Equal(3, TopK.Select(s, [1, 2, 2], top));
        Assert.Equal([4, 0, 5], top);
    }

    [Fact]
    public void Returns_fewer_items_than_asked_when_fewer_are_rankable()
    {
        float[] s = [3f, 1f, 2f];
        var top = new int[5];
        Assert.Equal(2, TopK.Select(s, [0], top));
        Assert.Equal([2, 1], top[..2]);
        Assert.Equal(0, TopK.Select(s, [0, 1, 2], top));
        Assert.Equal(0, TopK.Select(s, Span<int>.Empty));
    }

    [Fact]
    public void NaN_ranks_below_every_number_including_negative_infinity()
    {
        float[] s = [float.NaN, float.NegativeInfinity, float.NaN, 1f, float.PositiveInfinity];
        var top = new int[5];
        TopK.Select(s, top);
        Assert.Equal([4, 3, 1, 0, 2], top);

        // With a small heap the NaN root must still be displaced by a later number.
        float[] nanFirst = [float.NaN, float.NaN, -5f, float.NaN, -7f];
        var two = new int[2];
        TopK.Select(nanFirst, two);
        Assert.Equal([2, 4], two);
    }

    [Fact]
    public void Rejects_unsorted_or_out_of_range_exclusions()
    {
        float[] s = [1f, 2f, 3f, 4f];
        var top = new int[2];
        var unsorted = Assert.Throws<ArgumentException>(() => TopK.Select(s, [2, 0], top));
        Assert.Contains("sorted", unsorted.Message, StringComparison.Ordinal);
        var outside = Assert.Throws<ArgumentOutOfRangeException>(() => TopK.Select(s, [4], top));
        Assert.Contains("item 4", outside.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => TopK.Select(s, [-1], top));
    }

    [Fact]
    public void Matches_a_full_sort_on_random_rows_with_many_ties()
    {
        var rng = new Random(20240601);
        for (var trial = 0; trial < 2000; trial++)
        {
            var n = rng.Next(0, 300);
            var distinct = rng.Next(1, 8);
            var s = new float[n];
            for (var i = 0; i < n; i++)
            {
                s[i] = rng.Next(100) switch
                {
                    0 => float.NaN,
                    1 => float.NegativeInfinity,
                    2 => -0f,
                    _ => rng.Next(distinct) - 2,
                };
            }

            var excluded = Enumerable.Range(0, n).Where(_ => rng.Next(4) == 0).ToArray();
            var k = rng.Next(0, n + 3);
            var expected = Enumerable.Range(0, n).Except(excluded)
                .OrderByDescending(i => s[i]).ThenBy(i => i).Take(k).ToArray();

            var top = new int[k];
            var count = TopK.Select(s, excluded, top);
            Assert.Equal(expected, top[..count]);
        }
    }
}
