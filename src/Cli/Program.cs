using Spectre.Console.Cli;
using Spumr.Cli.Commands;
using Spumr.Core.Data;
using Spumr.Trainer.Torch;

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
    config.AddCommand<TrainCommand>("train")
        .WithDescription("Train a model with MMRec's protocol and print its validation and test scores.")
        .WithExample("train", "--model", "lightgcn", "--data", "data/amazon-baby");
    config.AddCommand<BrokerCommand>("broker").WithDescription("Run the development Kafka broker (librdkafka's mock cluster) on a fixed port.");
    config.AddCommand<ReplayCommand>("replay").WithDescription("Publish an MMRec-format data set to the raw topics as events, in timestamp order.");
    config.AddCommand<ServeCommand>("serve").WithDescription("Serve top-K recommendations over HTTP from the embeddings in Redis.");
});

try
{
    return await app.RunAsync(args);
}
catch (DatasetFormatException e)
{
    // Bad input is the user's to fix: say what and where, without a stack trace.
    return Fail(e.Message, 2);
}
catch (Exception e) when (e is IOException or UnauthorizedAccessException)
{
    // An unreadable file or folder: the runtime's message names the path.
    return Fail(e.Message, 2);
}
catch (TrainingSetupException e)
{
    // Training cannot start as asked (a missing device, an option out of range).
    return Fail(e.Message, 2);
}
catch (CommandParseException e)
{
    return Fail(e.Message, 64);
}
catch (CommandRuntimeException e)
{
    return Fail(e.Message, 64);
}

// Plain stderr, not Spectre markup: Spectre wraps at the console width (80 when redirected),
// and an error must stay one line apart from --json output on stdout.
static int Fail(string message, int exitCode)
{
    Console.Error.WriteLine($"error: {message.ReplaceLineEndings(" ")}");
    return exitCode;
}
