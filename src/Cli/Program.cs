using Spectre.Console;
using Spectre.Console.Cli;
using Spumr.Cli.Commands;
using Spumr.Core.Data;

var app = new CommandApp();
app.Configure(config =>
{
    config.SetApplicationName("spumr");
    config.PropagateExceptions();
    config.AddBranch("data", data =>
    {
        data.SetDescription("Inspect data sets.");
        data.AddCommand<DataInspectCommand>("inspect").WithDescription("Print the shape of an MMRec-format data set.");
    });
    config.AddCommand<ServeCommand>("serve").WithDescription("Serve top-K recommendations over HTTP from the embeddings in Redis.");
});

try
{
    return await app.RunAsync(args);
}
catch (DatasetFormatException e)
{
    // Bad input is the user's to fix: say what and where, without a stack trace.
    AnsiConsole.MarkupLineInterpolated($"[red]error:[/] {e.Message}");
    return 2;
}
catch (CommandParseException e)
{
    AnsiConsole.MarkupLineInterpolated($"[red]error:[/] {e.Message}");
    return 64;
}
catch (CommandRuntimeException e)
{
    AnsiConsole.MarkupLineInterpolated($"[red]error:[/] {e.Message}");
    return 64;
}
