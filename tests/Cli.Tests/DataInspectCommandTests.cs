using System.Text.Json;

namespace Spumr.Cli.Tests;

public sealed class DataInspectCommandTests
{
    [Fact]
    public async Task Json_output_for_the_bundled_baby_data_states_every_fact()
    {
        var run = await SpumrProcess.RunAsync("data", "inspect", RepositoryPaths.Data("amazon-baby"), "--json");

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal("", run.Stderr);
        // stdout is one JSON document and nothing else.
        using var json = JsonDocument.Parse(run.Stdout);
        var root = json.RootElement;
        Assert.Equal("baby", root.GetProperty("name").GetString());
        Assert.Equal(19_445, root.GetProperty("users").GetInt32());
        Assert.Equal(7_050, root.GetProperty("items").GetInt32());
        Assert.Equal(160_792, root.GetProperty("interactions").GetInt32());
        // 1 - 160792 / (19445 * 7050) = 0.998827...
        Assert.Equal(99.88, Math.Round(root.GetProperty("sparsity").GetDouble() * 100, 2));

        var split = root.GetProperty("split");
        Assert.Equal(118_551, split.GetProperty("train").GetInt32());
        Assert.Equal(20_559, split.GetProperty("validation").GetInt32());
        Assert.Equal(21_682, split.GetProperty("test").GetInt32());

        var time = root.GetProperty("timeRange");
        Assert.Equal(new DateOnly(2001, 2, 18), DateOnly.FromDateTime(time.GetProperty("first").GetDateTimeOffset().UtcDateTime));
        Assert.Equal(new DateOnly(2014, 7, 22), DateOnly.FromDateTime(time.GetProperty("last").GetDateTimeOffset().UtcDateTime));

        var histogram = root.GetProperty("ratingHistogram").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32());
        Assert.Equal(
            new Dictionary<string, int> { ["1"] = 7_819, ["2"] = 9_193, ["3"] = 17_255, ["4"] = 32_999, ["5"] = 93_526 },
            histogram);
        Assert.Equal(160_792, histogram.Values.Sum());

        var features = root.GetProperty("features").EnumerateObject().Select(p => (p.Name, p.Value.GetInt32())).ToList();
        Assert.Equal([("image", 256), ("text", 128)], features);
        Assert.True(root.GetProperty("externalUserIds").GetBoolean());
        Assert.True(root.GetProperty("externalItemIds").GetBoolean());
    }

    [Fact]
    public async Task Table_output_shows_the_same_facts()
    {
        var run = await SpumrProcess.RunAsync("data", "inspect", RepositoryPaths.Data("amazon-baby"));

        Assert.True(run.ExitCode == 0, run.Stderr);
        foreach (var fact in new[] { "19,445", "7,050", "160,792", "99.88%", "118,551 / 20,559 / 21,682", "2001-02-18 .. 2014-07-22", "5 stars: 93,526", "image: 256-d", "text: 128-d" })
        {
            Assert.Contains(fact, run.Stdout, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_missing_folder_is_exit_code_2_with_one_line_and_no_stack_trace()
    {
        var missing = Path.Combine(Path.GetTempPath(), "spumr-no-such-folder-" + Guid.NewGuid().ToString("N"));
        var run = await SpumrProcess.RunAsync("data", "inspect", missing, "--json");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.Stdout);
        Assert.Equal($"error: {Path.GetFileName(missing)}: data set folder does not exist", OneLine(run.Stderr));
    }

    [Fact]
    public async Task A_malformed_inter_file_is_exit_code_2_naming_file_line_and_field()
    {
        var dir = Directory.CreateTempSubdirectory("spumr-cli-test-");
        try
        {
            File.WriteAllText(
                Path.Combine(dir.FullName, "toy.inter"),
                "userID\titemID\trating\ttimestamp\tx_label\n0\t1\t5\t1373932800\t0\n0\t2\t4\t1373932800\t7\n");
            var run = await SpumrProcess.RunAsync("data", "inspect", dir.FullName, "--json");

            Assert.Equal(2, run.ExitCode);
            Assert.Equal("", run.Stdout);
            Assert.Equal("error: toy.inter line 3, field 'x_label': '7' is not a split label (0 train, 1 validation, 2 test)", OneLine(run.Stderr));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_long_error_message_stays_on_one_line()
    {
        var dir = Directory.CreateTempSubdirectory("spumr-cli-test-");
        try
        {
            // The message repeats the header: well over 80 characters.
            File.WriteAllText(
                Path.Combine(dir.FullName, "toy.inter"),
                "userID\titemID\trating\ttimestamp_with_a_rather_long_name\tanother_rather_long_column_name\n0\t1\t5\t1\t0\n");
            var run = await SpumrProcess.RunAsync("data", "inspect", dir.FullName);

            Assert.Equal(2, run.ExitCode);
            var line = OneLine(run.Stderr);
            Assert.StartsWith("error: toy.inter line 1, field 'x_label': missing required column 'x_label' (header has: ", line, StringComparison.Ordinal);
            Assert.True(line.Length > 120);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_malformed_feature_file_is_exit_code_2_naming_the_file()
    {
        var dir = Directory.CreateTempSubdirectory("spumr-cli-test-");
        try
        {
            File.WriteAllText(Path.Combine(dir.FullName, "toy.inter"), "userID\titemID\tx_label\n0\t1\t0\n");
            File.WriteAllText(Path.Combine(dir.FullName, "image_feat.npy"), "0.1,0.2\n");
            var run = await SpumrProcess.RunAsync("data", "inspect", dir.FullName);

            Assert.Equal(2, run.ExitCode);
            Assert.Equal("error: image_feat.npy: not a NumPy .npy file (bad magic bytes)", OneLine(run.Stderr));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    /// <summary>The output must be exactly one line (so no stack trace), naming no exception type.</summary>
    private static string OneLine(string output)
    {
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Single(lines);
        Assert.DoesNotContain("Exception", lines[0], StringComparison.Ordinal);
        return lines[0];
    }
}
