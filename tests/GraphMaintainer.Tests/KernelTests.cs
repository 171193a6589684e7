using Spumr.GraphMaintainer.Graphs;

namespace Spumr.GraphMaintainer.Tests;

public sealed class KernelTests
{
    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(3, 5, 7)]
    [InlineData(8, 32, 16)]
    [InlineData(9, 33, 255)]
    [InlineData(17, 300, 257)]
    [InlineData(130, 70, 600)]
    [InlineData(40, 600, 384)]
    public unsafe void Blocked_product_equals_the_canonical_dot_bit_for_bit(int rowsA, int rowsB, int width)
    {
        var rnd = new Random(rowsA * 1000 + width);
        var a = RandomMatrix(rnd, rowsA + 3, width);
        var b = RandomMatrix(rnd, rowsB + 2, width);
        var aRows = Enumerable.Range(0, rowsA + 3).OrderBy(_ => rnd.Next()).Take(rowsA).ToArray();
        var c = new float[rowsA * rowsB];
        fixed (float* pa = a, pb = b, pc = c)
        {
            DotProductKernel.ForCurrentThread().Compute(pa, width, RowSelection.Of(aRows), pb, width, RowSelection.Range(2, rowsB), width, pc, rowsB);
        }

        for (var i = 0; i < rowsA; i++)
        {
            for (var j = 0; j < rowsB; j++)
            {
                var expected = UnitVectors.Dot(a.AsSpan(aRows[i] * width, width), b.AsSpan((j + 2) * width, width));
                Assert.Equal(BitConverter.SingleToInt32Bits(expected), BitConverter.SingleToInt32Bits(c[(i * rowsB) + j]));
            }
        }
    }

    [Theory]
    [InlineData(1, 70, 5, 0)]
    [InlineData(9, 100, 300, 32)]
    [InlineData(20, 64, 16, 64)]
    [InlineData(3, 33, 513, 0)]
    public unsafe void Panel_product_equals_the_canonical_dot_bit_for_bit(int rowsA, int rows, int width, int firstB)
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
        var aRows = Enumerable.Range(0, rowsA).Select(_ => rnd.Next(rows)).Distinct().ToArray();
        var bCount = rows - firstB;
        var c = new float[aRows.Length * bCount];
        fixed (float* p = panels.Data, pc = c)
        {
            DotProductKernel.ForCurrentThread().ComputePanels(p, width, aRows, firstB, bCount, pc, bCount);
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
