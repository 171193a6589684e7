using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Spumr.Cli.Tests.Commands;

/// <summary>Runs the real <c>spumr</c> binary (copied beside the tests) as a separate process.</summary>
public sealed class TrainCommandTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("spumr-cli-train-");

    public TrainCommandTests() => WriteTinyDataSet(Path.Combine(_folder.FullName, "tiny"));

    private string Data => Path.Combine(_folder.FullName, "tiny");

    [Fact]
    public void Cuda_on_a_machine_without_it_fails_with_one_clear_line()
    {
        var run = Spumr("train", "--model", "pop", "--data", Data, "--device", "cuda", "--no-save");

        Assert.Equal(2, run.ExitCode);
        var line = Assert.Single(run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: --device cuda:", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Stdout + run.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--model must be one of lightgcn, mfbpr, pop, not 'nope'", "--model", "nope")]
    [InlineData("--layers does not apply to --model mfbpr", "--model", "mfbpr", "--layers", "2")]
    [InlineData("--epochs must be between 1 and 100000", "--model", "lightgcn", "--epochs", "0")]
    [InlineData("--device must be auto, cpu or cuda, not 'tpu'", "--model", "pop", "--device", "tpu")]
    public void Bad_options_fail_with_a_message_naming_the_option(string message, params string[] args)
    {
        var run = Spumr(["train", "--data", Data, "--no-save", .. args]);

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains(message, run.Stdout + run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Stdout + run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_data_folder_is_named()
    {
        var run = Spumr("train", "--model", "pop", "--data", Path.Combine(_folder.FullName, "absent"), "--no-save");

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("absent", run.Stdout + run.Stderr, StringComparison.Ordinal);
        Assert.Contains("does not exist", run.Stdout + run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_prints_the_final_table_as_one_object_and_the_run_folder_has_its_files()
    {
        var runs = Path.Combine(_folder.FullName, "runs");
        var run = Spumr("train", "--model", "lightgcn", "--data", Data, "--epochs", "3", "--device", "cpu", "--threads", "1", "--out", runs, "--json");

        Assert.True(run.ExitCode == 0, run.Stderr);
        using var json = JsonDocument.Parse(run.Stdout);
        var root = json.RootElement;
        foreach (var key in new[] { "valid.recall@10", "valid.recall@20", "valid.ndcg@10", "valid.ndcg@20", "test.recall@10", "test.recall@20", "test.ndcg@10", "test.ndcg@20" })
        {
            var value = root.GetProperty(key).GetDouble();
            Assert.InRange(value, 0.0, 1.0);
        }

        Assert.Equal("lightgcn", root.GetProperty("model").GetString());
        Assert.Equal(3, root.GetProperty("epochs_run").GetInt32());
        Assert.InRange(root.GetProperty("best_epoch").GetInt32(), 1, 3);
        Assert.True(root.GetProperty("seconds_per_epoch").GetDouble() > 0);
        var folder = root.GetProperty("run_folder").GetString()!;
        Assert.StartsWith(runs, folder, StringComparison.Ordinal);
        foreach (var file in new[] { "config.json", "metrics.csv", "metrics.json", "best.pt", "result.json" })
        {
            Assert.True(File.Exists(Path.Combine(folder, file)), file);
        }

        Assert.Equal(4, File.ReadAllLines(Path.Combine(folder, "metrics.csv")).Length);
        Assert.Equal(3, run.Stderr.Split('\n').Count(l => l.StartsWith("epoch ", StringComparison.Ordinal)));
    }

    [Fact]
    public void The_table_names_both_splits_and_the_four_scores()
    {
        var run = Spumr("train", "--model", "pop", "--data", Data, "--no-save", "--device", "cpu");

        Assert.True(run.ExitCode == 0, run.Stderr);
        foreach (var text in new[] { "validation", "test", "R@10", "R@20", "N@10", "N@20", "best epoch 0" })
        {
            Assert.Contains(text, run.Stdout, StringComparison.Ordinal);
        }
    }

    public void Dispose() => _folder.Delete(recursive: true);

    private static (int ExitCode, string Stdout, string Stderr) Spumr(params string[] args)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "spumr.dll"));
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout, stderr.Result);
    }

    /// <summary>60 users in 3 taste clusters over 45 items, MMRec's .inter layout.</summary>
    private static void WriteTinyDataSet(string folder)
    {
        Directory.CreateDirectory(folder);
        var random = new Random(1);
        var text = new StringBuilder("userID\titemID\tx_label\n");
        for (var u = 0; u < 60; u++)
        {
            var items = new HashSet<int>();
            while (items.Count < 10)
            {
                items.Add(random.NextDouble() < 0.8 ? ((u % 3) * 15) + random.Next(15) : random.Next(45));
            }

            var k = 0;
            foreach (var i in items)
            {
                var split = k++ switch { 0 => 1, 1 => 2, _ => 0 };
                text.Append(CultureInfo.InvariantCulture, $"{u}\t{i}\t{split}\n");
            }
        }

        File.WriteAllText(Path.Combine(folder, "tiny.inter"), text.ToString());
    }
}
