using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;

namespace Spumr.Core.Data;

/// <summary>
/// Reads and writes NumPy <c>.npy</c> files holding a 2-D float matrix (float16, float32 or
/// float64, little-endian, C order), the format MMRec ships item features in. Values are
/// returned as float32; NaN and infinity are rejected with the row and column named.
/// </summary>
public static partial class NpyFile
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    public static FeatureMatrix Read(string path, string modality)
    {
        using var stream = OpenMaybeCompressed(path);
        return Read(stream, path, modality);
    }

    public static FeatureMatrix Read(Stream stream, string path, string modality)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var header = ReadHeader(stream, path);
        var rows = header.Rows;
        var width = header.Width;
        var count = (long)rows * width;
        if (count > Array.MaxLength)
        {
            throw new DatasetFormatException(path, $"shape ({rows}, {width}) has {count} values, more than one array can hold");
        }

        var data = new float[count];
        var elementSize = header.ElementSize;
        var buffer = new byte[Math.Max(elementSize, (1 << 20) / elementSize * elementSize)];
        long done = 0;
        while (done < count)
        {
            var want = (int)Math.Min(buffer.Length / elementSize, count - done) * elementSize;
            var got = stream.ReadAtLeast(buffer.AsSpan(0, want), want, throwOnEndOfStream: false);
            if (got < want)
            {
                var have = done + (got / elementSize);
                throw new DatasetFormatException(path, $"truncated: shape ({rows}, {width}) needs {count} values of {header.Descr}, the file ends after {have}");
            }

            var dest = data.AsSpan((int)done, want / elementSize);
            Convert(buffer.AsSpan(0, want), header.Descr, dest);
            for (var k = 0; k < dest.Length; k++)
            {
                if (!float.IsFinite(dest[k]))
                {
                    var flat = done + k;
                    var where = $"at row {flat / width}, column {flat % width}";
                    if (header.Descr == "<f8" && BinaryPrimitives.ReadDoubleLittleEndian(buffer.AsSpan(k * 8)) is var wide && double.IsFinite(wide))
                    {
                        throw new DatasetFormatException(path, $"value {wide.ToString(CultureInfo.InvariantCulture)} {where} does not fit in float32");
                    }

                    throw new DatasetFormatException(path, $"value {dest[k].ToString(CultureInfo.InvariantCulture)} {where} is not finite");
                }
            }

            done += dest.Length;
        }

        var extra = TrailingBytes(stream);
        if (extra > 0)
        {
            throw new DatasetFormatException(path, $"{extra} bytes after the ({rows}, {width}) matrix; the header's shape does not match the data");
        }

        return new FeatureMatrix(modality, rows, width, data);
    }

    /// <summary>Writes a float32, C-order, version 1.0 <c>.npy</c> file.</summary>
    public static void Write(string path, FeatureMatrix matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        using var stream = File.Create(path);
        Write(stream, matrix.Rows, matrix.Width, matrix.Data);
    }

    public static void Write(Stream stream, int rows, int width, ReadOnlySpan<float> data, string descr = "<f4")
    {
        ArgumentNullException.ThrowIfNull(stream);
        var dict = string.Create(CultureInfo.InvariantCulture, $"{{'descr': '{descr}', 'fortran_order': False, 'shape': ({rows}, {width}), }}");
        var unpadded = Magic.Length + 2 + 2 + dict.Length + 1;
        var padded = (unpadded + 63) / 64 * 64;
        var headerText = dict + new string(' ', padded - unpadded) + "\n";
        stream.Write(Magic);
        stream.WriteByte(1);
        stream.WriteByte(0);
        Span<byte> len = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(len, (ushort)headerText.Length);
        stream.Write(len);
        stream.Write(Encoding.ASCII.GetBytes(headerText));
        Span<byte> b = stackalloc byte[8];
        switch (descr)
        {
            case "<f4":
                stream.Write(MemoryMarshal.AsBytes(data));
                break;
            case "<f8":
                foreach (var v in data)
                {
                    BinaryPrimitives.WriteDoubleLittleEndian(b, v);
                    stream.Write(b);
                }

                break;
            case "<f2":
                foreach (var v in data)
                {
                    BinaryPrimitives.WriteHalfLittleEndian(b, (Half)v);
                    stream.Write(b[..2]);
                }

                break;
            default:
                throw new ArgumentException($"Cannot write dtype {descr}.", nameof(descr));
        }
    }

    /// <summary>Reads only the header: the shape and dtype, without loading the values.</summary>
    public static NpyHeader ReadHeader(string path)
    {
        using var stream = OpenMaybeCompressed(path);
        return ReadHeader(stream, path);
    }

    /// <summary>Opens a data file, decompressing (and at the end checking) it when the name ends in <c>.gz</c>.</summary>
    internal static Stream OpenMaybeCompressed(string path) =>
        path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)
            ? GzipCheckedStream.Open(path)
            : new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);

    // Compressed streams cannot report their length, so read whatever is left to count it.
    private static long TrailingBytes(Stream stream)
    {
        if (stream.CanSeek)
        {
            return stream.Length - stream.Position;
        }

        Span<byte> chunk = stackalloc byte[4096];
        long extra = 0;
        int got;
        while ((got = stream.Read(chunk)) > 0)
        {
            extra += got;
        }

        return extra;
    }

    private static NpyHeader ReadHeader(Stream stream, string path)
    {
        Span<byte> prefix = stackalloc byte[10];
        if (stream.ReadAtLeast(prefix, 10, throwOnEndOfStream: false) < 10 || !prefix[..6].SequenceEqual(Magic))
        {
            throw new DatasetFormatException(path, "not a NumPy .npy file (bad magic bytes)");
        }

        var major = prefix[6];
        int headerLength;
        if (major == 1)
        {
            headerLength = BinaryPrimitives.ReadUInt16LittleEndian(prefix[8..10]);
        }
        else if (major is 2 or 3)
        {
            Span<byte> more = stackalloc byte[2];
            if (stream.ReadAtLeast(more, 2, throwOnEndOfStream: false) < 2)
            {
                throw new DatasetFormatException(path, "truncated in the header");
            }

            headerLength = (int)BinaryPrimitives.ReadUInt32LittleEndian([prefix[8], prefix[9], more[0], more[1]]);
        }
        else
        {
            throw new DatasetFormatException(path, $"unsupported .npy format version {major}.{prefix[7]}");
        }

        if (headerLength is <= 0 or > 1 << 20)
        {
            throw new DatasetFormatException(path, $"implausible header length {headerLength}");
        }

        var headerBytes = new byte[headerLength];
        if (stream.ReadAtLeast(headerBytes, headerLength, throwOnEndOfStream: false) < headerLength)
        {
            throw new DatasetFormatException(path, "truncated in the header");
        }

        var text = Encoding.Latin1.GetString(headerBytes);
        var descr = DescrPattern().Match(text);
        var order = OrderPattern().Match(text);
        var shape = ShapePattern().Match(text);
        if (!descr.Success || !order.Success || !shape.Success)
        {
            throw new DatasetFormatException(path, $"header is not a NumPy array description: {text.Trim()}");
        }

        var dtype = descr.Groups[1].Value;
        if (dtype is not ("<f4" or "<f8" or "<f2"))
        {
            throw new DatasetFormatException(path, $"dtype '{dtype}' is not supported; expected little-endian float16, float32 or float64 ('<f2', '<f4', '<f8')", field: "descr");
        }

        if (order.Groups[1].Value == "True")
        {
            throw new DatasetFormatException(path, "array is in Fortran (column-major) order; save it in C order (numpy.ascontiguousarray)", field: "fortran_order");
        }

        var dims = shape.Groups[1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (dims.Length != 2)
        {
            throw new DatasetFormatException(path, $"shape ({shape.Groups[1].Value}) is not 2-D [items, width]", field: "shape");
        }

        if (!int.TryParse(dims[0], NumberStyles.None, CultureInfo.InvariantCulture, out var rows)
            || !int.TryParse(dims[1], NumberStyles.None, CultureInfo.InvariantCulture, out var width) || width == 0)
        {
            throw new DatasetFormatException(path, $"shape ({shape.Groups[1].Value}) must be two positive integers", field: "shape");
        }

        return new NpyHeader(dtype, rows, width);
    }

    private static void Convert(ReadOnlySpan<byte> source, string descr, Span<float> dest)
    {
        switch (descr)
        {
            case "<f4":
                MemoryMarshal.Cast<byte, float>(source).CopyTo(dest);
                if (!BitConverter.IsLittleEndian)
                {
                    throw new PlatformNotSupportedException("Big-endian hosts are not supported.");
                }

                break;
            case "<f8":
                for (var k = 0; k < dest.Length; k++)
                {
                    dest[k] = (float)BinaryPrimitives.ReadDoubleLittleEndian(source[(k * 8)..]);
                }

                break;
            case "<f2":
                for (var k = 0; k < dest.Length; k++)
                {
                    dest[k] = (float)BinaryPrimitives.ReadHalfLittleEndian(source[(k * 2)..]);
                }

                break;
        }
    }

    [GeneratedRegex(@"'descr'\s*:\s*'([^']*)'")]
    private static partial Regex DescrPattern();

    [GeneratedRegex(@"'fortran_order'\s*:\s*(True|False)")]
    private static partial Regex OrderPattern();

    [GeneratedRegex(@"'shape'\s*:\s*\(([^)]*)\)")]
    private static partial Regex ShapePattern();
}

/// <summary>What a <c>.npy</c> header says: dtype (<c>&lt;f4</c> etc.) and the 2-D shape.</summary>
public readonly record struct NpyHeader(string Descr, int Rows, int Width)
{
    public int ElementSize => Descr switch
    {
        "<f2" => 2,
        "<f8" => 8,
        _ => 4,
    };
}
