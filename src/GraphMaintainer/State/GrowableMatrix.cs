namespace Spumr.GraphMaintainer.State;

/// <summary>A row-major float matrix that grows by rows (capacity doubling); new rows are zero.</summary>
internal sealed class GrowableMatrix(int width)
{
    private float[] _data = [];

    public int Width { get; } = width;

    public int Rows { get; private set; }

    /// <summary>The backing array; its length may exceed Rows x Width.</summary>
    public float[] Data => _data;

    public Span<float> Row(int row) => _data.AsSpan(row * Width, Width);

    public void EnsureRows(int rows)
    {
        if (rows <= Rows)
        {
            return;
        }

        if ((long)rows * Width > _data.LongLength)
        {
            var capacity = Math.Max(rows, Math.Max(16, (_data.Length / Width) * 2));
            var grown = new float[checked(capacity * Width)];
            _data.AsSpan(0, Rows * Width).CopyTo(grown);
            _data = grown;
        }

        Rows = rows;
    }
}
