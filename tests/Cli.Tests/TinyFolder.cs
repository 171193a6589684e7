using System.Globalization;
using System.Text;
using Spumr.Core.Data;

namespace Spumr.Cli.Tests;

/// <summary>A small MMRec-format folder on disk (inter file, one feature file, both id mappings).</summary>
internal sealed class TinyFolder : IDisposable
{
    public TinyFolder(int users, int items, bool withTimestamps = true)
    {
        Path = Directory.CreateTempSubdirectory("spumr-cli-").FullName;
        var inter = new StringBuilder(withTimestamps ? "userID\titemID\trating\ttimestamp\tx_label\n" : "userID\titemID\tx_label\n");
        var rows = 0;
        for (var u = 0; u < users; u++)
        {
            for (var i = u % 2; i < items; i += 2)
            {
                var split = rows % 5 == 4 ? 2 : 0;
                inter.Append(withTimestamps
                    ? string.Create(CultureInfo.InvariantCulture, $"{u}\t{i}\t{1 + (rows % 5)}.0\t{1_300_000_000 + (rows * 86_400)}\t{split}\n")
                    : string.Create(CultureInfo.InvariantCulture, $"{u}\t{i}\t{split}\n"));
                rows++;
                if (split == 0)
                {
                    TrainRows++;
                }
            }
        }

        Rows = rows;
        File.WriteAllText(System.IO.Path.Combine(Path, "tiny.inter"), inter.ToString());
        var data = new float[items * 3];
        for (var k = 0; k < data.Length; k++)
        {
            data[k] = (k % 7) / 7f;
        }

        NpyFile.Write(System.IO.Path.Combine(Path, "image_feat.npy"), new FeatureMatrix("image", items, 3, data));
        File.WriteAllText(System.IO.Path.Combine(Path, "u_id_mapping.csv"), "user_id\tuserID\n" + string.Concat(Enumerable.Range(0, users).Select(u => $"USER{u}\t{u}\n")));
        File.WriteAllText(System.IO.Path.Combine(Path, "i_id_mapping.csv"), "asin\titemID\n" + string.Concat(Enumerable.Range(0, items).Select(i => $"ITEM{i}\t{i}\n")));
        Items = items;
    }

    public string Path { get; }

    public int Rows { get; }

    public int TrainRows { get; }

    public int Items { get; }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
