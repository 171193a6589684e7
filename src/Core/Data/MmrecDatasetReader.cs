namespace Spumr.Core.Data;

/// <summary>
/// Loads an MMRec-format folder: exactly one <c>&lt;name&gt;.inter</c>, any number of
/// <c>&lt;modality&gt;_feat.npy</c>, and optionally <c>i_id_mapping.csv</c> and
/// <c>u_id_mapping.csv</c>. Any of them may be gzip-compressed (<c>.gz</c> suffix).
/// </summary>
public static class MmrecDatasetReader
{
    public const string FeatureSuffix = "_feat.npy";
    public const string ItemMappingFile = "i_id_mapping.csv";
    public const string UserMappingFile = "u_id_mapping.csv";

    public static MmrecDataset Load(string folder, MmrecLoadOptions? options = null)
    {
        options ??= new MmrecLoadOptions();
        if (!Directory.Exists(folder))
        {
            throw new DatasetFormatException(folder, "data set folder does not exist");
        }

        var inter = FindInterFile(folder);
        var table = InterFile.Read(inter);
        if (table.Count == 0)
        {
            throw new DatasetFormatException(inter, "has a header but no interactions");
        }

        var featureFiles = options.LoadFeatures ? FindFeatureFiles(folder) : [];
        var features = new List<FeatureMatrix>(featureFiles.Count);
        foreach (var (modality, path) in featureFiles)
        {
            features.Add(NpyFile.Read(path, modality));
        }

        var maxItem = table.Items.Max();
        var maxUser = table.Users.Max();
        int itemCount;
        if (features.Count > 0)
        {
            itemCount = features[0].Rows;
            foreach (var f in features.Skip(1))
            {
                if (f.Rows != itemCount)
                {
                    throw new DatasetFormatException(featureFiles[features.IndexOf(f)].Path, $"has {f.Rows} rows but {features[0].Modality}{FeatureSuffix} has {itemCount}; every modality needs one row per item");
                }
            }

            if (maxItem >= itemCount)
            {
                // The first offending row in file order, so fixing errors top to bottom works.
                var row = Array.FindIndex(table.Items, i => i >= itemCount);
                throw new DatasetFormatException(
                    inter,
                    $"item id {table.Items[row]} is beyond the {itemCount} rows of the feature files ({Path.GetFileName(featureFiles[0].Path)})",
                    InterFile.LineOf(inter, row),
                    InterFile.ItemColumn);
            }
        }
        else
        {
            itemCount = maxItem + 1;
        }

        var userCount = maxUser + 1;
        var users = TryReadMapping(folder, UserMappingFile, InterFile.UserColumn, userCount);
        var items = TryReadMapping(folder, ItemMappingFile, InterFile.ItemColumn, itemCount);
        return new MmrecDataset(DataSetName(inter), userCount, itemCount, table, features, users, items);
    }

    /// <summary>The modality name and path of every feature file, image first, text second, then by name.</summary>
    public static IReadOnlyList<(string Modality, string Path)> FindFeatureFiles(string folder)
    {
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var path in Directory.EnumerateFiles(folder))
        {
            var file = Path.GetFileName(path);
            var bare = file.EndsWith(".gz", StringComparison.Ordinal) ? file[..^3] : file;
            if (!bare.EndsWith(FeatureSuffix, StringComparison.Ordinal) || bare.Length == FeatureSuffix.Length)
            {
                continue;
            }

            var modality = bare[..^FeatureSuffix.Length];
            if (!found.TryAdd(modality, path))
            {
                throw new DatasetFormatException(path, $"modality '{modality}' has two feature files ({Path.GetFileName(found[modality])} too); keep one");
            }
        }

        return [.. found.OrderBy(kv => ModalityRank(kv.Key)).ThenBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => (kv.Key, kv.Value))];
    }

    public static string FindInterFile(string folder)
    {
        var candidates = Directory.EnumerateFiles(folder)
            .Where(p => p.EndsWith(".inter", StringComparison.Ordinal) || p.EndsWith(".inter.gz", StringComparison.Ordinal))
            .ToList();
        return candidates.Count switch
        {
            1 => candidates[0],
            0 => throw new DatasetFormatException(folder, "no <name>.inter file in the data set folder"),
            _ => throw new DatasetFormatException(folder, $"more than one .inter file: {string.Join(", ", candidates.Select(Path.GetFileName))}"),
        };
    }

    private static string DataSetName(string interPath)
    {
        var file = Path.GetFileName(interPath);
        return file[..file.IndexOf(".inter", StringComparison.Ordinal)];
    }

    private static int ModalityRank(string modality) => modality switch
    {
        "image" => 0,
        "text" => 1,
        _ => 2,
    };

    private static string[]? TryReadMapping(string folder, string name, string internalColumn, int count)
    {
        var plain = Path.Combine(folder, name);
        var path = File.Exists(plain) ? plain : File.Exists(plain + ".gz") ? plain + ".gz" : null;
        return path is null ? null : IdMappingFile.Read(path, internalColumn, count);
    }
}

public sealed record MmrecLoadOptions
{
    /// <summary>Skip the feature files (for interaction-only work such as data inspection of big sets).</summary>
    public bool LoadFeatures { get; init; } = true;
}
