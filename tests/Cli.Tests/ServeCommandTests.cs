namespace Spumr.Cli.Tests;

public sealed class ServeCommandTests
{
    [Theory]
    [InlineData(new[] { "--cache-size", "-1" }, "error: --cache-size -1 is negative.")]
    [InlineData(new[] { "--poll-interval", "0" }, "error: --poll-interval 0 is outside 0.05 .. 3600 seconds.")]
    [InlineData(new[] { "--prefix", "a{b" }, "error: Serving:KeyPrefix 'a{b' contains '{' (allowed: letters, digits, '-', '_', '.', ':').")]
    [InlineData(new[] { "--urls", "ftp://x" }, "error: Serving:Urls has 'ftp://x', which is not an http(s) address such as http://127.0.0.1:8080.")]
    [InlineData(new[] { "--redis", " " }, "error: The Redis field is required.")]
    public async Task A_bad_option_is_exit_code_64_with_one_line_naming_it(string[] options, string expected)
    {
        var run = await SpumrProcess.RunAsync(["serve", .. options]);

        Assert.Equal(64, run.ExitCode);
        Assert.Equal(expected, run.Stderr.Trim());
        Assert.DoesNotContain("   at ", run.Stdout + run.Stderr);
    }

    [Fact]
    public async Task An_address_in_use_is_exit_code_64_naming_it()
    {
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        var port = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port;

        var run = await SpumrProcess.RunAsync("serve", "--redis", "127.0.0.1:1", "--urls", $"http://127.0.0.1:{port}");

        Assert.Equal(64, run.ExitCode);
        Assert.StartsWith("error: ", run.Stderr, StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1:{port}", run.Stderr, StringComparison.Ordinal);
        Assert.Single(run.Stderr.Trim().Split('\n'));
    }
}
