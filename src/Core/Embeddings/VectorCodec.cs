using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Spumr.Core.Embeddings;

/// <summary>
/// The stored form of embedding vectors and matrices: float32 values, little-endian, row after row,
/// no header (the dimension lives in the version's metadata).
/// </summary>
public static class VectorCodec
{
    public static byte[] Encode(ReadOnlySpan<float> values)
    {
        var bytes = new byte[values.Length * sizeof(float)];
        Encode(values, bytes);
        return bytes;
    }

    public static void Encode(ReadOnlySpan<float> values, Span<byte> destination)
    {
        if (destination.Length != values.Length * sizeof(float))
        {
            throw new ArgumentException($"Destination holds {destination.Length} bytes, {values.Length * sizeof(float)} needed.", nameof(destination));
        }

        if (BitConverter.IsLittleEndian)
        {
            MemoryMarshal.AsBytes(values).CopyTo(destination);
            return;
        }

        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(destination[(i * sizeof(float))..], values[i]);
        }
    }

    public static float[] Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length % sizeof(float) != 0)
        {
            throw new FormatException($"A float32 vector cannot be {bytes.Length} bytes long (not a multiple of 4).");
        }

        var values = new float[bytes.Length / sizeof(float)];
        Decode(bytes, values);
        return values;
    }

    public static void Decode(ReadOnlySpan<byte> bytes, Span<float> destination)
    {
        if (bytes.Length != destination.Length * sizeof(float))
        {
            throw new FormatException($"Expected {destination.Length * sizeof(float)} bytes of float32 data, got {bytes.Length}.");
        }

        if (BitConverter.IsLittleEndian)
        {
            bytes.CopyTo(MemoryMarshal.AsBytes(destination));
            return;
        }

        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes[(i * sizeof(float))..]);
        }
    }
}
