using System.Globalization;

namespace Spumr.Core.Data;

/// <summary>
/// Reads MMRec's <c>i_id_mapping.csv</c> / <c>u_id_mapping.csv</c>: tab-separated, a header
/// naming the external id column (<c>asin</c>, <c>user_id</c>) and the internal one
/// (<c>itemID</c>, <c>userID</c>). Returns external ids indexed by internal id.
/// </summary>
public static class IdMappingFile
{
    public static string[] Read(string path, string internalColumn, int count)
    {
        using var stream = NpyFile.OpenMaybeCompressed(path);
        using var reader = new StreamReader(stream);
        var header = reader.ReadLine() ?? throw new DatasetFormatException(path, "file is empty; expected a header row", 1);
        var names = header.TrimEnd('\r').Split('\t');
        if (names.Length != 2)
        {
            throw new DatasetFormatException(path, $"expected two tab-separated columns (external id, {internalColumn}), found {names.Length}", 1);
        }

        var internalIndex = Array.IndexOf(names, internalColumn);
        if (internalIndex < 0)
        {
            throw new DatasetFormatException(path, $"missing required column '{internalColumn}'", 1, internalColumn);
        }

        var externalIndex = 1 - internalIndex;
        var ids = new string?[count];
        var byExternal = new Dictionary<string, long>(StringComparer.Ordinal);
        long lineNo = 1;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNo++;
            if (line.Length == 0)
            {
                continue;
            }

            var parts = line.TrimEnd('\r').Split('\t');
            if (parts.Length != 2)
            {
                throw new DatasetFormatException(path, $"has {parts.Length} fields, expected 2", lineNo);
            }

            if (!int.TryParse(parts[internalIndex], NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                throw new DatasetFormatException(path, $"'{parts[internalIndex]}' is not a non-negative integer id", lineNo, internalColumn);
            }

            if (id >= count)
            {
                throw new DatasetFormatException(path, $"id {id} is beyond the data set's {count} ids", lineNo, internalColumn);
            }

            var external = parts[externalIndex].Trim();
            if (external.Length == 0)
            {
                throw new DatasetFormatException(path, "external id is empty", lineNo, names[externalIndex]);
            }

            if (ids[id] is not null)
            {
                throw new DatasetFormatException(path, $"id {id} is mapped twice", lineNo, internalColumn);
            }

            if (!byExternal.TryAdd(external, lineNo))
            {
                throw new DatasetFormatException(path, $"external id '{external}' already appears on line {byExternal[external]}", lineNo, names[externalIndex]);
            }

            ids[id] = external;
        }

        var missing = Array.IndexOf(ids, null);
        if (missing >= 0)
        {
            throw new DatasetFormatException(path, $"internal id {missing} has no external id ({ids.Count(x => x is null)} of {count} are missing)");
        }

        return ids!;
    }
}
