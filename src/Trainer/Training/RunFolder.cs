using System.Globalization;
using System.Text;
using System.Text.Json;
using TorchSharp;

namespace Spumr.Trainer.Training;

/// <summary>
/// A run's files: <c>config.json</c>, per-epoch <c>metrics.csv</c> and <c>metrics.json</c> (rewritten
/// after every epoch, so a long run can be followed), <c>best.pt</c> (the best epoch's weights, TorchSharp
/// format) and <c>result.json</c>.
/// </summary>
public sealed class RunFolder
{
    public const string ConfigFile = "config.json";
    public const string MetricsCsvFile = "metrics.csv";
    public const string MetricsJsonFile = "metrics.json";
    public const string CheckpointFile = "best.pt";
    public const string ResultFile = "result.json";

    private readonly List<EpochRecord> _epochs = [];

    private RunFolder(string path) => Path = path;

    public string Path { get; }

    public string CheckpointPath => System.IO.Path.Combine(Path, CheckpointFile);

    /// <summary>Creates <c>root/&lt;model&gt;-&lt;data&gt;-s&lt;seed&gt;-&lt;utc time&gt;</c> (with a suffix if taken).</summary>
    public static RunFolder Create(string root, string model, string data, int seed)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        var stem = string.Create(CultureInfo.InvariantCulture, $"{model}-{data}-s{seed}-{DateTime.UtcNow:yyyyMMdd-HHmmss}");
        var path = System.IO.Path.Combine(root, stem);
        for (var n = 2; Directory.Exists(path); n++)
        {
            path = System.IO.Path.Combine(root, string.Create(CultureInfo.InvariantCulture, $"{stem}-{n}"));
        }

        Directory.CreateDirectory(path);
        return new RunFolder(System.IO.Path.GetFullPath(path));
    }

    public void WriteConfig(RunConfig config) =>
        WriteAtomically(ConfigFile, JsonSerializer.Serialize(config, TrainerJsonContext.Default.RunConfig));

    public void AppendEpoch(EpochMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        var record = EpochRecord.Of(metrics);
        var csv = System.IO.Path.Combine(Path, MetricsCsvFile);
        var line = new StringBuilder();
        if (_epochs.Count == 0)
        {
            line.Append("epoch,train_seconds,eval_seconds");
            foreach (var name in record.Loss.Keys)
            {
                line.Append(",loss_").Append(name);
            }

            foreach (var name in record.Valid.Keys)
            {
                line.Append(",valid_").Append(name);
            }

            line.Append(",improved\n");
            File.WriteAllText(csv, "");
        }

        var inv = CultureInfo.InvariantCulture;
        line.Append(record.Epoch.ToString(inv))
            .Append(',').Append(record.TrainSeconds.ToString("0.###", inv))
            .Append(',').Append(record.EvalSeconds.ToString("0.###", inv));
        foreach (var v in record.Loss.Values)
        {
            line.Append(',').Append(v.ToString("R", inv));
        }

        foreach (var v in record.Valid.Values)
        {
            line.Append(',').Append(v.ToString("0.000000", inv));
        }

        line.Append(',').Append(record.Improved ? "1" : "0").Append('\n');
        File.AppendAllText(csv, line.ToString());

        _epochs.Add(record);
        WriteAtomically(MetricsJsonFile, JsonSerializer.Serialize(_epochs, TrainerJsonContext.Default.ListEpochRecord));
    }

    /// <summary>Saves the module's weights as <c>best.pt</c>, replacing the previous best in one rename.</summary>
    public void SaveCheckpoint(torch.nn.Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        var temp = CheckpointPath + ".tmp";
        module.save(temp);
        File.Move(temp, CheckpointPath, overwrite: true);
    }

    public void WriteResult(RunSummary summary) =>
        WriteAtomically(ResultFile, JsonSerializer.Serialize(summary, TrainerJsonContext.Default.RunSummary));

    private void WriteAtomically(string file, string text)
    {
        var target = System.IO.Path.Combine(Path, file);
        var temp = target + ".tmp";
        File.WriteAllText(temp, text + "\n");
        File.Move(temp, target, overwrite: true);
    }
}
