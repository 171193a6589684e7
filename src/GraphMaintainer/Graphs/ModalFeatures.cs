using Spumr.Core.Data;

namespace Spumr.GraphMaintainer.Graphs;

/// <summary>
/// One modality's raw item vectors, row i for internal item i. An item may have no vector in a
/// modality (its features have not arrived): it then has no edges in that modality's item graph
/// and does not count in user profiles for that modality.
/// </summary>
public sealed class ModalFeatures
{
    private readonly float[] _data;
    private readonly bool[]? _present;

    /// <param name="data">Row-major values; may be longer than rows x width (spare capacity).</param>
    /// <param name="present">Which rows hold a vector; null when every row does.</param>
    public ModalFeatures(string modality, int width, int rows, float[] data, bool[]? present)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modality);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        if ((long)rows * width > data.LongLength)
        {
            throw new ArgumentException($"Modality '{modality}' has {data.LongLength} values for {rows} x {width}.", nameof(data));
        }

        if (present is not null && present.Length < rows)
        {
            throw new ArgumentException($"Modality '{modality}' has {present.Length} presence flags for {rows} rows.", nameof(present));
        }

        Modality = modality;
        Width = width;
        Rows = rows;
        _data = data;
        _present = present;
    }

    public string Modality { get; }

    public int Width { get; }

    public int Rows { get; }

    /// <summary>The backing array, row-major with stride <see cref="Width"/>; for the similarity kernel.</summary>
    internal float[] Data => _data;

    public bool IsPresent(int item) => _present is null || _present[item];

    public ReadOnlySpan<float> Row(int item) => _data.AsSpan(item * Width, Width);

    public static ModalFeatures From(FeatureMatrix matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        return new ModalFeatures(matrix.Modality, matrix.Width, matrix.Rows, matrix.Data, null);
    }

    /// <summary>A dense copy; rows without a vector are zeros.</summary>
    public FeatureMatrix ToFeatureMatrix()
    {
        var copy = new float[(long)Rows * Width];
        for (var i = 0; i < Rows; i++)
        {
            if (IsPresent(i))
            {
                Row(i).CopyTo(copy.AsSpan(i * Width, Width));
            }
        }

        return new FeatureMatrix(Modality, Rows, Width, copy);
    }
}
