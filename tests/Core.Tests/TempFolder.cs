using System.IO.Compression;
using System.Text;
using Spumr.Core.Data;

namespace Spumr.Core.Tests;

/// <summary>A private temporary folder for test files, deleted on dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = Directory.CreateTempSubdirectory("spumr-test-").FullName;
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public string WriteText(string name, string text)
    {
        var path = File(name);
        System.IO.File.WriteAllText(path, text);
        return path;
    }

    public string WriteBytes(string name, byte[] bytes)
    {
        var path = File(name);
        System.IO.File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>Writes <paramref name="bytes"/> gzip-compressed (name should end in .gz).</summary>
    public string WriteGzip(string name, byte[] bytes)
    {
        var path = File(name);
        using var file = System.IO.File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        gzip.Write(bytes);
        return path;
    }

    public string WriteGzipText(string name, string text) => WriteGzip(name, Encoding.UTF8.GetBytes(text));

    public string WriteNpy(string name, int rows, int width, float[] data, string descr = "<f4")
    {
        var bytes = NpyBytes(rows, width, data, descr);
        return name.EndsWith(".gz", StringComparison.Ordinal) ? WriteGzip(name, bytes) : WriteBytes(name, bytes);
    }

    public static byte[] NpyBytes(int rows, int width, float[] data, string descr = "<f4")
    {
        using var memory = new MemoryStream();
        NpyFile.Write(memory, rows, width, data, descr);
        return memory.ToArray();
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A file still open elsewhere; the OS temp cleaner gets it.
        }
    }
}
