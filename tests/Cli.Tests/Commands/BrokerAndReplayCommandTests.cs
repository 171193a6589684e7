using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Confluent.Kafka;
using Spumr.ServiceDefaults.Kafka;

namespace Spumr.Cli.Tests.Commands;

public sealed class BrokerAndReplayCommandTests
{
    [Fact]
    public async Task Broker_on_a_fixed_port_takes_a_replay_and_stops_on_sigterm()
    {
        var port = FreePort();
        using var folder = new TinyFolder(users: 12, items: 9);
        using var broker = CliProcess.Start("broker", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await broker.WaitForOutputAsync("Ready", TimeSpan.FromSeconds(30));
        Assert.Contains("partitions", broker.Output, StringComparison.Ordinal);
        Assert.Contains("5 MiB", broker.Output, StringComparison.Ordinal);

        var (code, output) = await CliProcess.RunAsync("replay", "--data", folder.Path, "--brokers", $"127.0.0.1:{port}", "--split", "all", "--json");

        Assert.True(code == 0, output);
        using var summary = JsonDocument.Parse(output.Trim());
        Assert.Equal("tiny", summary.RootElement.GetProperty("dataSet").GetString());
        Assert.Equal(folder.Items, summary.RootElement.GetProperty("featureEvents").GetInt64());
        Assert.Equal(folder.Rows, summary.RootElement.GetProperty("interactionEvents").GetInt64());

        using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = $"127.0.0.1:{port}" }).Build())
        using (var reader = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = $"127.0.0.1:{port}", GroupId = "probe" }).Build())
        {
            var topics = admin.GetMetadata(TimeSpan.FromSeconds(10)).Topics.ToDictionary(t => t.Topic);
            foreach (var planned in DevTopicPlan.Default())
            {
                Assert.Equal(planned.Partitions, topics[planned.Name].Partitions.Count);
            }

            long Count(string topic) => topics[topic].Partitions.Sum(p => reader.QueryWatermarkOffsets(new TopicPartition(topic, p.PartitionId), TimeSpan.FromSeconds(10)).High.Value);
            Assert.Equal(folder.Rows, Count(SpumrTopics.RawInteractions));
            Assert.Equal(folder.Items, Count(SpumrTopics.RawItemFeatures));
        }

        broker.Terminate();
        Assert.Equal(0, await broker.WaitForExitAsync(TimeSpan.FromSeconds(20)));
    }

    [Fact]
    public async Task Broker_on_a_taken_port_says_so()
    {
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var port = ((IPEndPoint)squatter.LocalEndpoint).Port;

        var (code, output) = await CliProcess.RunAsync("broker", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(2, code);
        Assert.Contains($"error: cannot listen on 127.0.0.1:{port}", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("70000")]
    public async Task Broker_refuses_a_port_outside_the_tcp_range(string port)
    {
        var (code, output) = await CliProcess.RunAsync("broker", "--port", port);

        Assert.Equal(64, code);
        Assert.Contains($"--port {port} is not a TCP port", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "replay" }, "--data <folder> is required")]
    [InlineData(new[] { "replay", "--data", "x", "--split", "test" }, "--split 'test' is not a split; use train or all")]
    [InlineData(new[] { "replay", "--data", "x", "--speed", "fast" }, "--speed 'fast' is not max or a positive number")]
    [InlineData(new[] { "replay", "--data", "x", "--speed", "-5" }, "--speed '-5' is not max or a positive number")]
    [InlineData(new[] { "replay", "--data", "x", "--brokers", " " }, "--brokers is empty")]
    public async Task Replay_bad_arguments_get_one_line_naming_the_option(string[] args, string expected)
    {
        var (code, output) = await CliProcess.RunAsync(args);

        Assert.Equal(64, code);
        Assert.Contains("error: " + expected, output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_of_a_missing_folder_names_it()
    {
        var (code, output) = await CliProcess.RunAsync("replay", "--data", "/no/such/folder");

        Assert.Equal(2, code);
        Assert.Contains("error: folder: data set folder does not exist", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_to_an_unreachable_broker_says_where_it_looked()
    {
        using var folder = new TinyFolder(users: 3, items: 4);

        var (code, output) = await CliProcess.RunAsync("replay", "--data", folder.Path, "--brokers", "127.0.0.1:1");

        Assert.Equal(2, code);
        Assert.Contains("error: cannot reach Kafka at 127.0.0.1:1", output, StringComparison.Ordinal);
        Assert.Contains("spumr broker", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Paced_replay_of_data_without_timestamps_is_refused()
    {
        using var folder = new TinyFolder(users: 3, items: 4, withTimestamps: false);

        var (code, output) = await CliProcess.RunAsync("replay", "--data", folder.Path, "--speed", "100", "--brokers", "127.0.0.1:1");

        Assert.Equal(2, code);
        Assert.Contains("has no timestamp column, so it can only be replayed at --speed max", output, StringComparison.Ordinal);
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
