using System.ComponentModel;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Spectre.Console;
using Spectre.Console.Cli;
using Spumr.ServiceDefaults.Kafka;

namespace Spumr.Cli.Commands;

/// <summary><c>spumr broker [--port 9092]</c>: the development Kafka broker as a process of its own.</summary>
internal sealed class BrokerCommand : AsyncCommand<BrokerCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--port <PORT>")]
        [Description("Loopback port to listen on (default 9092).")]
        public int Port { get; init; } = 9092;

        public override ValidationResult Validate() => Port is < 1 or > 65535
            ? ValidationResult.Error($"--port {Port} is not a TCP port; use 1..65535")
            : ValidationResult.Success();
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        using var logs = LoggerFactory.Create(b => b.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        }));
        var logger = logs.CreateLogger("Spumr.Broker");

        DevKafkaBroker broker;
        try
        {
            broker = DevKafkaBroker.Start(new DevKafkaBrokerOptions { Port = settings.Port }, logger);
        }
        catch (DevKafkaBrokerException e)
        {
            logs.Dispose();
            AnsiConsole.MarkupLineInterpolated($"[red]error:[/] {e.Message}");
            return 2;
        }

        await using (broker)
        {
            logger.LogInformation("Ready: bootstrap.servers={Bootstrap}. Ctrl+C stops the broker and drops everything it holds", broker.BootstrapServers);
            try
            {
                await Task.Delay(Timeout.Infinite, stop.Token);
            }
            catch (OperationCanceledException)
            {
                logger.LogInformation("Stopping");
            }
        }

        return 0;

        void OnSignal(PosixSignalContext signal)
        {
            signal.Cancel = true;
            stop.Cancel();
        }
    }
}
