using System.Buffers.Binary;
using System.Text;
using Spumr.Core.Data;

namespace Spumr.Core.Tests.Data;

public sealed class NpyFileTests
{
    private static readonly float[] TwelveValues = [.. Enumerable.Range(0, 12).Select(i => (i * 0.25f) - 1f)];

    /// <summary>A .npy with an arbitrary header dictionary (for dtypes and flags NpyFile.Write refuses).</summary>
    private static byte[] RawNpy(string dictionary, byte[] payload)
    {
        var unpadded = 10 + dictionary.Length + 1;
        var header = dictionary + new string(' ', ((unpadded + 63) / 64 * 64) - unpadded) + "\n";
        var bytes = new byte[10 + header.Length + payload.Length];
        bytes[0] = 0x93;
        Encoding.ASCII.GetBytes("NUMPY").CopyTo(bytes, 1);
        bytes[6] = 1;
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), (ushort)header.Length);
        Encoding.ASCII.GetBytes(header).CopyTo(bytes, 10);
        payload.CopyTo(bytes, 10 + header.Length);
        return bytes;
    }

    private static DatasetFormatException ReadFails(byte[] bytes, string name = "image_feat.npy")
    {
        using var dir = new TempFolder();
        var path = name.EndsWith(".gz", StringComparison.Ordinal) ? dir.WriteGzip(name, bytes) : dir.WriteBytes(name, bytes);
        return Assert.Throws<DatasetFormatException>(() => NpyFile.Read(path, "image"));
    }

    [Theory]
    [InlineData("<f4")]
    [InlineData("<f2")]
    [InlineData("<f8")]
    public void Float16_32_and_64_files_load_as_float32(string descr)
    {
        using var dir = new TempFolder();
        var path = dir.WriteNpy("text_feat.npy", 4, 3, TwelveValues, descr);
        Assert.Equal(new NpyHeader(descr, 4, 3), NpyFile.ReadHeader(path));
        var m = NpyFile.Read(path, "text");
        Assert.Equal("text", m.Modality);
        Assert.Equal((4, 3), (m.Rows, m.Width));
        // Multiples of 0.25 in [-1, 2] are exact in all three widths.
        Assert.Equal(TwelveValues, m.Data);
        Assert.Equal([1.25f, 1.5f, 1.75f], m.Row(3).ToArray());
    }

    [Fact]
    public void A_version_2_header_is_read()
    {
        var v1 = TempFolder.NpyBytes(2, 2, [1f, 2f, 3f, 4f]);
        // Version 2.0 has a 4-byte header length: same dictionary, two more bytes of length.
        var headerLength = BinaryPrimitives.ReadUInt16LittleEndian(v1.AsSpan(8));
        var v2 = new byte[v1.Length + 2];
        v1.AsSpan(0, 8).CopyTo(v2);
        v2[6] = 2;
        BinaryPrimitives.WriteUInt32LittleEndian(v2.AsSpan(8), headerLength);
        v1.AsSpan(10).CopyTo(v2.AsSpan(12));
        using var dir = new TempFolder();
        Assert.Equal([1f, 2f, 3f, 4f], NpyFile.Read(dir.WriteBytes("a_feat.npy", v2), "a").Data);
    }

    [Theory]
    [InlineData(float.NaN, "NaN")]
    [InlineData(float.PositiveInfinity, "Infinity")]
    [InlineData(float.NegativeInfinity, "-Infinity")]
    public void A_non_finite_value_names_file_row_and_column(float bad, string shown)
    {
        var data = (float[])TwelveValues.Clone();
        data[(2 * 3) + 1] = bad;
        var e = ReadFails(TempFolder.NpyBytes(4, 3, data));
        Assert.Equal($"image_feat.npy: value {shown} at row 2, column 1 is not finite", e.Message);
    }

    [Fact]
    public void A_non_finite_value_is_found_in_float16_and_float64_files_too()
    {
        var data = (float[])TwelveValues.Clone();
        data[11] = float.NaN;
        Assert.Equal("image_feat.npy: value NaN at row 3, column 2 is not finite", ReadFails(TempFolder.NpyBytes(4, 3, data, "<f2")).Message);
        Assert.Equal("image_feat.npy: value NaN at row 3, column 2 is not finite", ReadFails(TempFolder.NpyBytes(4, 3, data, "<f8")).Message);
    }

    [Fact]
    public void A_float64_value_beyond_float32_range_is_named_as_such()
    {
        var payload = new byte[4 * 8];
        BinaryPrimitives.WriteDoubleLittleEndian(payload.AsSpan(3 * 8), 1e300);
        var e = ReadFails(RawNpy("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), }", payload));
        Assert.Equal("image_feat.npy: value 1E+300 at row 1, column 1 does not fit in float32", e.Message);
    }

    [Theory]
    [InlineData("<i4")]
    [InlineData(">f4")]
    [InlineData("|u1")]
    [InlineData("<c8")]
    public void An_unsupported_dtype_names_the_descr_field(string dtype)
    {
        var e = ReadFails(RawNpy($"{{'descr': '{dtype}', 'fortran_order': False, 'shape': (2, 2), }}", new byte[16]));
        Assert.Equal(
            $"image_feat.npy, field 'descr': dtype '{dtype}' is not supported; expected little-endian float16, float32 or float64 ('<f2', '<f4', '<f8')",
            e.Message);
    }

    [Fact]
    public void Fortran_order_names_the_fortran_order_field()
    {
        var e = ReadFails(RawNpy("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }", new byte[16]));
        Assert.Equal("image_feat.npy, field 'fortran_order': array is in Fortran (column-major) order; save it in C order (numpy.ascontiguousarray)", e.Message);
    }

    [Theory]
    [InlineData("(12,)")]
    [InlineData("(2, 3, 2)")]
    [InlineData("(4, 0)")]
    [InlineData("(-4, 3)")]
    public void A_shape_that_is_not_two_positive_sizes_names_the_shape_field(string shape)
    {
        var e = ReadFails(RawNpy($"{{'descr': '<f4', 'fortran_order': False, 'shape': {shape}, }}", new byte[48]));
        Assert.StartsWith("image_feat.npy, field 'shape': shape ", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("image_feat.npy")]
    [InlineData("image_feat.npy.gz")]
    public void A_truncated_file_says_how_many_values_it_has(string name)
    {
        var bytes = TempFolder.NpyBytes(4, 3, TwelveValues);
        // Drop the last two and a half values: 9 whole values remain.
        var e = ReadFails(bytes[..^10], name);
        Assert.Equal($"{name}: truncated: shape (4, 3) needs 12 values of <f4, the file ends after 9", e.Message);
    }

    [Fact]
    public void A_gzip_file_cut_short_is_reported_by_name()
    {
        using var dir = new TempFolder();
        var rng = new Random(1);
        var data = Enumerable.Range(0, 300 * 64).Select(_ => (float)rng.NextDouble()).ToArray();
        var path = dir.WriteNpy("image_feat.npy.gz", 300, 64, data);
        Assert.Equal(data, NpyFile.Read(path, "image").Data);

        var gz = File.ReadAllBytes(path);
        var cut = dir.WriteBytes("cut_feat.npy.gz", gz[..(gz.Length * 2 / 3)]);
        var e = Assert.Throws<DatasetFormatException>(() => NpyFile.Read(cut, "cut"));
        Assert.StartsWith("cut_feat.npy.gz: ", e.Message, StringComparison.Ordinal);
        Assert.Contains("truncated", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("image_feat.npy")]
    [InlineData("image_feat.npy.gz")]
    public void More_data_than_the_shape_says_is_a_shape_mismatch(string name)
    {
        // Header says (4, 3) but 15 values follow: 3 values (12 bytes) too many.
        var bytes = TempFolder.NpyBytes(5, 3, [.. TwelveValues, 7f, 8f, 9f]);
        var withSmallerShape = RawNpy("{'descr': '<f4', 'fortran_order': False, 'shape': (4, 3), }", bytes[^60..]);
        var e = ReadFails(withSmallerShape, name);
        Assert.Equal($"{name}: 12 bytes after the (4, 3) matrix; the header's shape does not match the data", e.Message);
    }

    [Fact]
    public void Not_an_npy_file_says_so()
    {
        Assert.Equal("image_feat.npy: not a NumPy .npy file (bad magic bytes)", ReadFails(Encoding.ASCII.GetBytes("0.1,0.2\n0.3,0.4\n")).Message);
        Assert.Equal("image_feat.npy: not a NumPy .npy file (bad magic bytes)", ReadFails([]).Message);
        var headerCut = TempFolder.NpyBytes(2, 2, [1f, 2f, 3f, 4f])[..40];
        Assert.Equal("image_feat.npy: truncated in the header", ReadFails(headerCut).Message);
    }
}
