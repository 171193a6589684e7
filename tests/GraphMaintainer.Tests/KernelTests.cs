using Spumr.GraphMaintainer.Graphs;

namespace Spumr.GraphMaintainer.Tests;

public sealed class KernelTests
{
    [Theory]
    [InlineData(1, 70, 5, 0, false)]
    [InlineData(9, 100, 300, 32, false)]
    [InlineData(20, 64, 16, 64, false)]
    [InlineData(3, 33, 513, 0, false)]
    [InlineData(40, 300, 384, 64, true)]
    [InlineData(17, 100, 257, 0, true)]
    [InlineData(130, 400, 600, 256, true)]
    [InlineData(3, 300, 384, 64, true)]
    [InlineData(11, 250, 600, 0, false)]
    [InlineData(2, 97, 40, 0, false)]
    public unsafe void Panel_product_equals_the_canonical_dot_bit_for_bit(int rowsA, int rows, int width, int firstB, bool range)
    {
        var rnd = new Random(rows + width);
        var m = RandomMatrix(rnd, rows, width);
        var panels = new PanelMatrix(width);
        panels.EnsureRows(rows);
        for (var r = 0; r < rows; r++)
        {
            panels.SetRow(r, m.AsSpan(r * width, width));
        }

        var copy = new float[width];
        panels.CopyRow(rows - 1, copy);
        Assert.Equal(m.AsSpan((rows - 1) * width, width).ToArray(), copy);
        var aRows = range ? [.. Enumerable.Range(8, rowsA)] : Enumerable.Range(0, rowsA).Select(_ => rnd.Next(rows)).Distinct().ToArray();
        var bCount = rows - firstB;
        var c = new float[aRows.Length * bCount];
        fixed (float* p = panels.Data, pc = c)
        {
            var selection = range ? RowSelection.Range(8, aRows.Length) : RowSelection.Of(aRows);
            DotProductKernel.ForCurrentThread().Compute(p, width, selection, firstB, bCount, pc, bCount);
        }

        for (var i = 0; i < aRows.Length; i++)
        {
            for (var j = 0; j < bCount; j++)
            {
                var expected = UnitVectors.Dot(m.AsSpan(aRows[i] * width, width), m.AsSpan((firstB + j) * width, width));
                Assert.Equal(BitConverter.SingleToInt32Bits(expected), BitConverter.SingleToInt32Bits(c[(i * bCount) + j]));
            }
        }
    }

    [Fact]
    public void Canonical_dot_is_symmetric()
    {
        var rnd = new Random(5);
        for (var t = 0; t < 200; t++)
        {
            var x = RandomMatrix(rnd, 1, 97);
            var y = RandomMatrix(rnd, 1, 97);
            Assert.Equal(UnitVectors.Dot(x, y), UnitVectors.Dot(y, x));
        }
    }

    [Fact]
    public void Normalize_reports_zero_vectors_as_invalid_and_clears_them()
    {
        var dest = new float[] { 9, 9, 9 };
        Assert.False(UnitVectors.Normalize([0f, 0f, 0f], dest));
        Assert.Equal([0f, 0f, 0f], dest);
        Assert.True(UnitVectors.Normalize([3f, 0f, 4f], dest));
        Assert.Equal([0.6f, 0f, 0.8f], dest);
    }

    private static float[] RandomMatrix(Random rnd, int rows, int width)
    {
        var m = new float[rows * width];
        for (var i = 0; i < m.Length; i++)
        {
            m[i] = (rnd.NextSingle() * 2f) - 1f;
        }

        return m;
    }
}
