namespace Spumr.GraphMaintainer.Graphs;

/// <summary>
/// A float matrix stored the way the dot-product kernel reads its right-hand side: rows grouped
/// in panels of 32, each panel laid out k-major (for each column k, the 32 rows' values). The
/// incremental state keeps its unit vectors like this so repairs multiply against all rows
/// without repacking them. Grows by rows; new rows are zero (a zero row has no edges).
/// </summary>
internal sealed class PanelMatrix(int width)
{
    public const int PanelRows = 32;

    private float[] _data = [];

    public int Width { get; } = width;

    public int Rows { get; private set; }

    public int Panels => (Rows + PanelRows - 1) / PanelRows;

    /// <summary>The backing array: panel p starts at p * 32 * Width.</summary>
    public float[] Data => _data;

    public void EnsureRows(int rows)
    {
        if (rows <= Rows)
        {
            return;
        }

        var needed = (long)((rows + PanelRows - 1) / PanelRows) * PanelRows * Width;
        if (needed > _data.LongLength)
        {
            var capacityRows = Math.Max(rows, Math.Max(PanelRows, (int)(_data.LongLength / Width) * 2));
            var grown = new float[checked((long)((capacityRows + PanelRows - 1) / PanelRows) * PanelRows * Width)];
            _data.AsSpan().CopyTo(grown);
            _data = grown;
        }

        Rows = rows;
    }

    public void SetRow(int row, ReadOnlySpan<float> values)
    {
        var at = Offset32(row);
        for (var k = 0; k < Width; k++)
        {
            _data[at + (k * PanelRows)] = values[k];
        }
    }

    public void ClearRow(int row)
    {
        var at = Offset32(row);
        for (var k = 0; k < Width; k++)
        {
            _data[at + (k * PanelRows)] = 0f;
        }
    }

    public void CopyRow(int row, Span<float> destination)
    {
        var at = Offset32(row);
        for (var k = 0; k < Width; k++)
        {
            destination[k] = _data[at + (k * PanelRows)];
        }
    }

    /// <summary>Index of (row, column 0); column k is at + k * 32.</summary>
    public long Offset(int row) => ((long)(row / PanelRows) * PanelRows * Width) + (row % PanelRows);

    private int Offset32(int row) => checked((int)Offset(row));
}
