using System.Text;

namespace Spumr.Core.Embeddings;

/// <summary>
/// The stored form of an ordered list of external ids: UTF-8, one id per line ('\n' between ids).
/// Unambiguous because <see cref="ExternalId"/> forbids whitespace in ids; readable in redis-cli.
/// </summary>
public static class IdListCodec
{
    public static byte[] Encode(IEnumerable<string> ids) => Encoding.UTF8.GetBytes(string.Join('\n', ids));

    public static string[] Decode(ReadOnlySpan<byte> bytes) =>
        bytes.IsEmpty ? [] : Encoding.UTF8.GetString(bytes).Split('\n');
}
