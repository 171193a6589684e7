using System.Text;
using Spumr.Core.Data;

namespace Spumr.Core.Tests.Data;

public sealed class MmrecDatasetReaderTests
{
    private const string Header = "userID\titemID\trating\ttimestamp\tx_label\n";

    // 3 users, items 0..4 used; every split present.
    private const string ToyRows =
        "0\t0\t5\t1000\t0\n0\t1\t4\t2000\t1\n0\t2\t3\t3000\t2\n1\t1\t5\t1000\t0\n1\t3\t2\t1500\t2\n2\t4\t1\t1200\t0\n2\t0\t5\t1300\t1\n";

    private static float[] Values(int rows, int width, int seed)
    {
        var rng = new Random(seed);
        return [.. Enumerable.Range(0, rows * width).Select(_ => (float)(rng.NextDouble() - 0.5))];
    }

    [Fact]
    public void A_toy_folder_loads_with_features_and_mappings()
    {
        using var dir = new TempFolder();
        dir.WriteText("toy.inter", Header + ToyRows);
        var image = Values(6, 8, 1);
        var text = Values(6, 5, 2);
        dir.WriteNpy("image_feat.npy", 6, 8, image);
        dir.WriteNpy("text_feat.npy", 6, 5, text);
        dir.WriteText("u_id_mapping.csv", "user_id\tuserID\nA\t0\nB\t1\nC\t2\n");
        dir.WriteText("i_id_mapping.csv", "asin\titemID\nI0\t0\nI1\t1\nI2\t2\nI3\t3\nI4\t4\nI5\t5\n");

        var data = MmrecDatasetReader.Load(dir.Path);

        Assert.Equal("toy", data.Name);
        Assert.Equal(3, data.UserCount);
        Assert.Equal(6, data.ItemCount); // the feature rows, not the largest item id + 1
        Assert.Equal(7, data.Interactions.Count);
        Assert.Equal([3, 2, 2], [data.Train.NonZeroCount, data.Validation.NonZeroCount, data.Test.NonZeroCount]);
        Assert.Equal([0, 1], data.Train.ItemsOf(0).ToArray().Concat(data.Validation.ItemsOf(0).ToArray()));
        Assert.Equal(["image", "text"], data.Features.Select(f => f.Modality));
        Assert.Equal(image, data.Features[0].Data);
        Assert.Equal(text, data.Features[1].Data);
        Assert.Equal("B", data.UserExternalId(1));
        Assert.Equal("I5", data.ItemExternalId(5));
    }

    [Fact]
    public void Gzip_variants_of_every_file_load_the_same()
    {
        using var plain = new TempFolder();
        using var gz = new TempFolder();
        var image = Values(5, 4, 3);
        plain.WriteText("toy.inter", Header + ToyRows);
        plain.WriteNpy("image_feat.npy", 5, 4, image);
        plain.WriteText("i_id_mapping.csv", "asin\titemID\nI0\t0\nI1\t1\nI2\t2\nI3\t3\nI4\t4\n");
        gz.WriteGzipText("toy.inter.gz", Header + ToyRows);
        gz.WriteNpy("image_feat.npy.gz", 5, 4, image);
        gz.WriteGzipText("i_id_mapping.csv.gz", "asin\titemID\nI0\t0\nI1\t1\nI2\t2\nI3\t3\nI4\t4\n");

        var a = MmrecDatasetReader.Load(plain.Path);
        var b = MmrecDatasetReader.Load(gz.Path);
        Assert.Equal(a.Interactions.Items, b.Interactions.Items);
        Assert.Equal(a.Interactions.Timestamps, b.Interactions.Timestamps);
        Assert.Equal(a.Features[0].Data, b.Features[0].Data);
        Assert.Equal(a.ItemExternalIds, b.ItemExternalIds);
        Assert.Equal("toy", b.Name);
    }

    [Fact]
    public void Any_modality_name_is_a_modality_ordered_image_text_then_by_name()
    {
        using var dir = new TempFolder();
        dir.WriteText("toy.inter", Header + ToyRows);
        foreach (var (name, width) in new[] { ("zeta_feat.npy", 2), ("text_feat.npy.gz", 3), ("audio_feat.npy", 4), ("image_feat.npy", 5), ("beta_feat.npy.gz", 6) })
        {
            dir.WriteNpy(name, 5, width, Values(5, width, width));
        }

        dir.WriteText("notes_feat.txt", "not a feature file");
        dir.WriteText("_feat.npy", "no modality name: ignored");

        var data = MmrecDatasetReader.Load(dir.Path);
        Assert.Equal(["image", "text", "audio", "beta", "zeta"], data.Features.Select(f => f.Modality));
        Assert.Equal([5, 3, 4, 6, 2], data.Features.Select(f => f.Width));
    }

    [Theory]
    [InlineData("<f2")]
    [InlineData("<f8")]
    public void Float16_and_float64_feature_files_load(string descr)
    {
        using var dir = new TempFolder();
        dir.WriteText("toy.inter", Header + ToyRows);
        // Quarter steps are exact in float16.
        var values = Enumerable.Range(0, 5 * 4).Select(i => i * 0.25f).ToArray();
        dir.WriteNpy("image_feat.npy", 5, 4, values, descr);
        dir.WriteNpy("text_feat.npy", 5, 2, [.. values.Take(10)], descr);
        var data = MmrecDatasetReader.Load(dir.Path);
        Assert.Equal(values, data.Features[0].Data);
        Assert.Equal(values.Take(10), data.Features[1].Data);
    }

    [Fact]
    public void The_original_mmrec_widths_4096_and_384_load_unchanged()
    {
        using var dir = new TempFolder();
        const int Items = 120;
        var rows = new StringBuilder(Header);
        for (var u = 0; u < 40; u++)
        {
            for (var j = 0; j < 3; j++)
            {
                rows.Append(u).Append('\t').Append(((u * 7) + (j * 31)) % Items).Append("\t5\t1000\t").Append(j).Append('\n');
            }
        }

        dir.WriteText("baby.inter", rows.ToString());
        var image = new FeatureMatrix("image", Items, 4096, Values(Items, 4096, 11));
        var text = new FeatureMatrix("text", Items, 384, Values(Items, 384, 12));
        NpyFile.Write(dir.File("image_feat.npy"), image);
        NpyFile.Write(dir.File("text_feat.npy"), text);

        var data = MmrecDatasetReader.Load(dir.Path);
        Assert.Equal(Items, data.ItemCount);
        Assert.Equal([4096, 384], data.Features.Select(f => f.Width));
        Assert.Equal(image.Data, data.Features[0].Data);
        Assert.Equal(text.Data, data.Features[1].Data);
    }

    [Fact]
    public void An_item_id_beyond_the_feature_rows_names_its_line_even_after_blank_lines()
    {
        using var dir = new TempFolder();
        // Line 1 header, 2 ok, 3 blank, 4 item 7 (beyond the 5 feature rows), 5 item 9.
        dir.WriteText("toy.inter", Header + "0\t1\t5\t1\t0\n\n0\t7\t5\t1\t0\n1\t9\t5\t1\t0\n");
        dir.WriteNpy("image_feat.npy", 5, 2, Values(5, 2, 1));
        var e = Assert.Throws<DatasetFormatException>(() => MmrecDatasetReader.Load(dir.Path));
        Assert.Equal("toy.inter line 4, field 'itemID': item id 7 is beyond the 5 rows of the feature files (image_feat.npy)", e.Message);
    }

    [Fact]
    public void Feature_files_with_different_row_counts_name_the_odd_one()
    {
        using var dir = new TempFolder();
        dir.WriteText("toy.inter", Header + ToyRows);
        dir.WriteNpy("image_feat.npy", 5, 2, Values(5, 2, 1));
        dir.WriteNpy("text_feat.npy", 6, 2, Values(6, 2, 1));
        var e = Assert.Throws<DatasetFormatException>(() => MmrecDatasetReader.Load(dir.Path));
        Assert.Equal("text_feat.npy: has 6 rows but image_feat.npy has 5; every modality needs one row per item", e.Message);
    }

    [Fact]
    public void Folder_level_problems_are_named()
    {
        using var dir = new TempFolder();
        var missing = Path.Combine(dir.Path, "nowhere") + Path.DirectorySeparatorChar;
        Assert.Equal("nowhere: data set folder does not exist", Assert.Throws<DatasetFormatException>(() => MmrecDatasetReader.Load(missing)).Message);

        var name = Path.GetFileName(dir.Path);
        Assert.Equal($"{name}: no <name>.inter file in the data set folder", Assert.Throws<DatasetFormatException>(() => MmrecDatasetReader.Load(dir.Path)).Message);

        dir.WriteText("a.inter", Header + ToyRows);
        dir.WriteGzipText("b.inter.gz", Header + ToyRows);
        Assert.StartsWith($"{name}: more than one .inter file: ", Assert.Throws<DatasetFormatException>(() => MmrecDatasetReader.Load(dir.Path)).Message, StringComparison.Ordinal);
        File.Delete(dir.File("b.inter.gz"));

        dir.WriteNpy("image_feat.npy", 5, 2, Values(5, 2, 1));
        dir.WriteNpy("image_feat.npy.gz", 5, 2, Values(5, 2, 1));
        var twice = Assert.Throws<DatasetFormatException>(() => MmrecDatasetReader.Load(dir.Path));
        Assert.Contains("modality 'image' has two feature files", twice.Message, StringComparison.Ordinal);
        File.Delete(dir.File("image_feat.npy.gz"));

        dir.WriteText("u_id_mapping.csv", "user_id\tuserID\nA\t0\nB\t1\nC\t3\n");
        Assert.Equal("u_id_mapping.csv line 4, field 'userID': id 3 is beyond the data set's 3 ids",
            Assert.Throws<DatasetFormatException>(() => MmrecDatasetReader.Load(dir.Path)).Message);

        File.Delete(dir.File("u_id_mapping.csv"));
        dir.WriteText("a.inter", Header);
        Assert.Equal("a.inter: has a header but no interactions", Assert.Throws<DatasetFormatException>(() => MmrecDatasetReader.Load(dir.Path)).Message);
    }
}
