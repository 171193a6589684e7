using Spumr.Core.Data;

namespace Spumr.Core.Tests.Data;

public sealed class IdMappingFileTests
{
    private static DatasetFormatException ReadFails(string text, int count = 3)
    {
        using var dir = new TempFolder();
        var path = dir.WriteText("i_id_mapping.csv", text);
        return Assert.Throws<DatasetFormatException>(() => IdMappingFile.Read(path, "itemID", count));
    }

    [Fact]
    public void Reads_external_ids_indexed_by_internal_id_with_columns_in_either_order()
    {
        using var dir = new TempFolder();
        var items = dir.WriteText("i_id_mapping.csv", "asin\titemID\nB002\t2\nB000\t0\r\nB001\t1\n\n");
        Assert.Equal(["B000", "B001", "B002"], IdMappingFile.Read(items, "itemID", 3));
        var users = dir.WriteGzipText("u_id_mapping.csv.gz", "userID\tuser_id\n1\tA1\n0\tA0\n");
        Assert.Equal(["A0", "A1"], IdMappingFile.Read(users, "userID", 2));
    }

    [Fact]
    public void An_id_beyond_the_data_set_names_line_and_field()
    {
        var e = ReadFails("asin\titemID\nB000\t0\nB001\t1\nB003\t3\n");
        Assert.Equal("i_id_mapping.csv line 4, field 'itemID': id 3 is beyond the data set's 3 ids", e.Message);
    }

    [Fact]
    public void A_duplicate_external_id_names_both_lines()
    {
        var e = ReadFails("asin\titemID\nB000\t0\nB001\t1\nB000\t2\n");
        Assert.Equal("i_id_mapping.csv line 4, field 'asin': external id 'B000' already appears on line 2", e.Message);
    }

    [Fact]
    public void A_missing_column_is_named_on_the_header_line()
    {
        var e = ReadFails("asin\titem_id\nB000\t0\n");
        Assert.Equal("i_id_mapping.csv line 1, field 'itemID': missing required column 'itemID'", e.Message);
        var one = ReadFails("itemID\n0\n");
        Assert.Equal("i_id_mapping.csv line 1: expected two tab-separated columns (external id, itemID), found 1", one.Message);
    }

    [Fact]
    public void Other_mapping_errors_are_named()
    {
        Assert.Equal("i_id_mapping.csv line 3, field 'itemID': id 0 is mapped twice", ReadFails("asin\titemID\nB000\t0\nB001\t0\n").Message);
        Assert.Equal("i_id_mapping.csv line 2, field 'itemID': 'x' is not a non-negative integer id", ReadFails("asin\titemID\nB000\tx\n").Message);
        Assert.Equal("i_id_mapping.csv line 2, field 'asin': external id is empty", ReadFails("asin\titemID\n \t0\n").Message);
        Assert.Equal("i_id_mapping.csv line 2: has 3 fields, expected 2", ReadFails("asin\titemID\nB000\t0\tx\n").Message);
        Assert.Equal("i_id_mapping.csv: internal id 1 has no external id (2 of 3 are missing)", ReadFails("asin\titemID\nB000\t0\n").Message);
    }
}
