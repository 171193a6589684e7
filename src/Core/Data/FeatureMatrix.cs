namespace Spumr.Core.Data;

/// <summary>
/// One modality's item features: a dense row-major [rows, width] float32 matrix.
/// Row i belongs to internal item id i.
/// </summary>
public sealed class FeatureMatrix
{
    public FeatureMatrix(string modality, int rows, int width, float[] data)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modality);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        if ((long)rows * width != data.LongLength)
        {
            throw new ArgumentException($"Feature data has {data.LongLength} values, expected {rows} x {width}.", nameof(data));
        }

        Modality = modality;
        Rows = rows;
        Width = width;
        Data = data;
    }

    /// <summary>The modality name: "image", "text", or whatever precedes <c>_feat.npy</c>.</summary>
    public string Modality { get; }

    public int Rows { get; }

    public int Width { get; }

    public float[] Data { get; }

    public Span<float> Row(int item) => Data.AsSpan(item * Width, Width);
}
