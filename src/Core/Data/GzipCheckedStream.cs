using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;

namespace Spumr.Core.Data;

/// <summary>
/// Decompresses a <c>.gz</c> file and, on reaching the end, checks the gzip trailer (CRC-32 and
/// length of the data). zlib checks the trailer only when it gets to it: .NET's
/// <see cref="GZipStream"/> ends quietly on a file cut short, which would turn a half-copied
/// <c>.inter.gz</c> into a smaller but valid-looking data set.
/// </summary>
/// <remarks>
/// The check assumes one gzip member (what gzip, pigz and Python write); a file of several
/// concatenated members fails it with a message saying to recompress it.
/// </remarks>
internal sealed class GzipCheckedStream : Stream
{
    private const int TrailerLength = 8;
    private const int MinimumFileLength = 18;

    private readonly string _path;
    private readonly GZipStream _gzip;
    private readonly uint _expectedCrc;
    private readonly uint _expectedLength;
    private readonly Crc32 _crc = new();
    private long _length;
    private bool _verified;

    private GzipCheckedStream(string path, FileStream file, uint expectedCrc, uint expectedLength)
    {
        _path = path;
        _gzip = new GZipStream(file, CompressionMode.Decompress);
        _expectedCrc = expectedCrc;
        _expectedLength = expectedLength;
    }

    public static GzipCheckedStream Open(string path)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        try
        {
            if (file.Length < MinimumFileLength)
            {
                throw new DatasetFormatException(path, $"is {file.Length} bytes, too short for a gzip file (truncated?)");
            }

            Span<byte> trailer = stackalloc byte[TrailerLength];
            file.Seek(-TrailerLength, SeekOrigin.End);
            file.ReadExactly(trailer);
            file.Seek(0, SeekOrigin.Begin);
            return new GzipCheckedStream(path, file, BinaryPrimitives.ReadUInt32LittleEndian(trailer), BinaryPrimitives.ReadUInt32LittleEndian(trailer[4..]));
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _length;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int read;
        try
        {
            read = _gzip.Read(buffer);
        }
        catch (InvalidDataException e)
        {
            throw new DatasetFormatException(_path, $"is corrupt or not gzip data (zlib: {e.Message})", inner: e);
        }

        if (read > 0)
        {
            _crc.Append(buffer[..read]);
            _length += read;
        }
        else if (buffer.Length > 0)
        {
            Verify();
        }

        return read;
    }

    public override int ReadByte()
    {
        Span<byte> one = stackalloc byte[1];
        return Read(one) == 1 ? one[0] : -1;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _gzip.Dispose();
        }

        base.Dispose(disposing);
    }

    private void Verify()
    {
        if (_verified)
        {
            return;
        }

        _verified = true;
        if ((uint)_length != _expectedLength || _crc.GetCurrentHashAsUInt32() != _expectedCrc)
        {
            throw new DatasetFormatException(
                _path,
                $"gzip data is truncated or corrupt: it decompresses to {_length} bytes that do not match the file's gzip trailer (if it holds several concatenated gzip members, recompress it as one)");
        }
    }
}
