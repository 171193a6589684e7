using Spumr.Core.Data;

namespace Spumr.Core.Tests.Data;

public sealed class InterFileTests
{
    private const string Header = "userID\titemID\trating\ttimestamp\tx_label\n";

    private static DatasetFormatException ReadFails(string text, string name = "toy.inter")
    {
        using var dir = new TempFolder();
        var path = dir.WriteText(name, text);
        return Assert.Throws<DatasetFormatException>(() => InterFile.Read(path));
    }

    [Fact]
    public void Reads_columns_by_name_in_any_order_with_optional_rating_and_timestamp()
    {
        using var dir = new TempFolder();
        var path = dir.WriteText("toy.inter", "x_label\titemID\tuserID\r\n0\t3\t1\r\n\r\n2\t0\t0\r\n1\t3\t0\r\n");
        var table = InterFile.Read(path);
        Assert.Equal([1, 0, 0], table.Users);
        Assert.Equal([3, 0, 3], table.Items);
        Assert.Equal([SplitLabel.Train, SplitLabel.Test, SplitLabel.Validation], table.Splits);
        Assert.Null(table.Ratings);
        Assert.Null(table.Timestamps);
    }

    [Fact]
    public void Reads_ratings_and_integer_or_float_timestamps()
    {
        using var dir = new TempFolder();
        var path = dir.WriteText("toy.inter", Header + "0\t1\t5.0\t1373932800\t0\n0\t2\t3\t1373932800.0\t1\n");
        var table = InterFile.Read(path);
        Assert.Equal([5f, 3f], table.Ratings!);
        Assert.Equal([1373932800L, 1373932800L], table.Timestamps!);
    }

    [Fact]
    public void A_missing_required_column_is_named_on_the_header_line()
    {
        var e = ReadFails("userID\titemID\trating\ttimestamp\n0\t1\t5\t1\n");
        Assert.Equal("toy.inter line 1, field 'x_label': missing required column 'x_label' (header has: userID, itemID, rating, timestamp)", e.Message);
        Assert.Equal(1, e.Line);
        Assert.Equal("x_label", e.Field);
    }

    [Theory]
    [InlineData("abc", "itemID")]
    [InlineData("-1", "itemID")]
    [InlineData("1.5", "itemID")]
    [InlineData("99999999999", "itemID")]
    public void A_non_integer_item_id_names_line_and_field(string id, string field)
    {
        var e = ReadFails(Header + "0\t1\t5\t1\t0\n" + $"0\t{id}\t5\t1\t0\n");
        Assert.Equal($"toy.inter line 3, field '{field}': '{id}' is not a non-negative integer id", e.Message);
    }

    [Fact]
    public void A_non_integer_user_id_names_line_and_field()
    {
        var e = ReadFails(Header + "u7\t1\t5\t1\t0\n");
        Assert.Equal("toy.inter line 2, field 'userID': 'u7' is not a non-negative integer id", e.Message);
    }

    [Fact]
    public void A_duplicate_user_item_pair_names_both_lines()
    {
        var e = ReadFails(Header + "0\t1\t5\t1\t0\n1\t1\t5\t1\t0\n\n0\t1\t4\t2\t2\n");
        Assert.Equal("toy.inter line 5: user 0 and item 1 already appear together on line 2; remove the duplicate interaction", e.Message);
    }

    [Theory]
    [InlineData("3")]
    [InlineData("train")]
    [InlineData("")]
    public void A_bad_split_label_names_line_and_field(string label)
    {
        var e = ReadFails(Header + $"0\t1\t5\t1\t{label}\n");
        Assert.Equal($"toy.inter line 2, field 'x_label': '{label}' is not a split label (0 train, 1 validation, 2 test)", e.Message);
    }

    [Fact]
    public void Bad_ratings_timestamps_and_field_counts_are_named()
    {
        Assert.Equal("toy.inter line 2, field 'rating': 'five' is not a finite number", ReadFails(Header + "0\t1\tfive\t1\t0\n").Message);
        Assert.Equal("toy.inter line 2, field 'rating': 'NaN' is not a finite number", ReadFails(Header + "0\t1\tNaN\t1\t0\n").Message);
        Assert.Equal("toy.inter line 2, field 'timestamp': '2014-07-22' is not a Unix timestamp in seconds", ReadFails(Header + "0\t1\t5\t2014-07-22\t0\n").Message);
        Assert.Equal("toy.inter line 2: has 4 tab-separated fields, the header has 5", ReadFails(Header + "0\t1\t5\t1\n").Message);
        Assert.Equal("toy.inter line 2: has more than the header's 5 tab-separated fields", ReadFails(Header + "0\t1\t5\t1\t0\t9\n").Message);
        Assert.Equal("toy.inter line 1: file is empty; expected a header row", ReadFails("").Message);
    }

    [Fact]
    public void Reads_gzip_and_reports_a_truncated_gzip_file_by_name()
    {
        using var dir = new TempFolder();
        var rows = string.Concat(Enumerable.Range(0, 5000).Select(i => $"{i}\t{i % 97}\t5\t1373932800\t{i % 3}\n"));
        var path = dir.WriteGzipText("toy.inter.gz", Header + rows);
        Assert.Equal(5000, InterFile.Read(path).Count);

        var bytes = File.ReadAllBytes(path);
        var cut = dir.WriteBytes("cut.inter.gz", bytes[..(bytes.Length / 2)]);
        var e = Assert.Throws<DatasetFormatException>(() => InterFile.Read(cut));
        Assert.StartsWith("cut.inter.gz: ", e.Message, StringComparison.Ordinal);
        Assert.Contains("truncated", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_gz_file_that_is_not_gzip_or_too_short_is_named()
    {
        using var dir = new TempFolder();
        var text = dir.WriteText("plain.inter.gz", Header + "0\t1\t5\t1\t0\n");
        var e = Assert.Throws<DatasetFormatException>(() => InterFile.Read(text));
        Assert.StartsWith("plain.inter.gz: is corrupt or not gzip data (zlib: ", e.Message, StringComparison.Ordinal);

        var tiny = dir.WriteBytes("tiny.inter.gz", [0x1f, 0x8b, 8, 0]);
        Assert.Equal("tiny.inter.gz: is 4 bytes, too short for a gzip file (truncated?)", Assert.Throws<DatasetFormatException>(() => InterFile.Read(tiny)).Message);
    }

    [Fact]
    public void A_gz_file_with_a_damaged_byte_is_reported_as_corrupt()
    {
        using var dir = new TempFolder();
        // Stored (level 0) deflate blocks keep the text as is, so flipping a digit still inflates.
        var bytes = System.Text.Encoding.UTF8.GetBytes(Header + "0\t1\t5\t1\t0\n");
        using var memory = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(memory, System.IO.Compression.CompressionLevel.NoCompression, leaveOpen: true))
        {
            gzip.Write(bytes);
        }

        var gz = memory.ToArray();
        var at = gz.AsSpan().IndexOf("5\t1\t0"u8);
        gz[at] = (byte)'4';
        var path = dir.WriteBytes("flipped.inter.gz", gz);
        var e = Assert.Throws<DatasetFormatException>(() => InterFile.Read(path));
        Assert.StartsWith("flipped.inter.gz: is corrupt or not gzip data (zlib: ", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(1000)]
    public void A_gzip_file_missing_its_last_bytes_is_detected(int cut)
    {
        // Without the trailer .NET's GZipStream returns all the data and no error, so a cut at a
        // line boundary would otherwise load as a smaller data set.
        using var dir = new TempFolder();
        var rows = string.Concat(Enumerable.Range(0, 3000).Select(i => $"{i}\t{i % 89}\t5\t1373932800\t{i % 3}\n"));
        var whole = File.ReadAllBytes(dir.WriteGzipText("whole.inter.gz", Header + rows));
        var path = dir.WriteBytes("cut.inter.gz", whole[..^cut]);
        var e = Assert.Throws<DatasetFormatException>(() => InterFile.Read(path));
        Assert.StartsWith("cut.inter.gz: gzip data is truncated or corrupt", e.Message, StringComparison.Ordinal);
    }
}
