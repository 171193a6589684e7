using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using Spectre.Console.Cli;
using Spumr.Core.Data;

namespace Spumr.Cli.Commands;

/// <summary><c>spumr data inspect &lt;folder&gt;</c>: the shape of an MMRec-format data set.</summary>
internal sealed class DataInspectCommand : Command<DataInspectCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<folder>")]
        [Description("An MMRec-format data set folder, such as data/amazon-baby.")]
        public string Folder { get; init; } = "";

        [CommandOption("--json")]
        [Description("Print the facts as one JSON object.")]
        public bool Json { get; init; }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var data = MmrecDatasetReader.Load(settings.Folder);
        var summary = DatasetSummary.Of(data);
        if (settings.Json)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(summary, DatasetSummaryJsonContext.Default.DatasetSummary));
            return 0;
        }

        var inv = CultureInfo.InvariantCulture;
        var table = new Table().RoundedBorder().Title($"[bold]{Markup.Escape(summary.Name)}[/] ({Markup.Escape(settings.Folder)})");
        table.AddColumn("fact");
        table.AddColumn(new TableColumn("value").RightAligned());
        table.AddRow("users", summary.Users.ToString("N0", inv));
        table.AddRow("items", summary.Items.ToString("N0", inv));
        table.AddRow("interactions", summary.Interactions.ToString("N0", inv));
        table.AddRow("sparsity", (summary.Sparsity * 100).ToString("0.00", inv) + "%");
        table.AddRow("train / validation / test", string.Create(inv, $"{summary.Split.Train:N0} / {summary.Split.Validation:N0} / {summary.Split.Test:N0}"));
        table.AddRow("time range", summary.TimeRange is { } r ? $"{r.First:yyyy-MM-dd} .. {r.Last:yyyy-MM-dd}" : "(no timestamp column)");
        table.AddRow("ratings", summary.RatingHistogram is { } h
            ? string.Join("\n", h.Select(kv => string.Create(inv, $"{kv.Key} stars: {kv.Value:N0}")))
            : "(no rating column)");
        table.AddRow("features", summary.FeatureWidths.Count == 0
            ? "(none)"
            : string.Join("  ", summary.FeatureWidths.Select(kv => string.Create(inv, $"{kv.Key}: {kv.Value}-d"))));
        table.AddRow("external ids", $"users: {(summary.HasUserMapping ? "yes" : "no")}  items: {(summary.HasItemMapping ? "yes" : "no")}");
        AnsiConsole.Write(table);
        return 0;
    }
}
