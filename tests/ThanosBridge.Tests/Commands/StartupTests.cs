using ThanosBridge.TestSupport.Bridge;

namespace ThanosBridge.Tests.Commands;

/// <summary>The real process: an invalid configuration stops start-up with exit code 1 and one line naming the cause.</summary>
public class StartupTests
{
    [Theory]
    [InlineData("serve")]
    [InlineData("once")]
    [InlineData("check-config")]
    public async Task InvalidConfiguration_ExitsWithOne_AndOneLineNamingEveryBadVariable(string command)
    {
        var env = new Dictionary<string, string>
        {
            ["THANOS_QUERY_URL"] = "ftp://thanos",
            ["THANOS_BRIDGE_STEP_SECONDS"] = "7",
            ["DATABASE_SERVICE_HOST"] = "db",
            ["DATABASE_PASSWORD"] = "s3cr3t-password",
        };

        var run = await BridgeProcess.RunAsync(env, [command], TestContext.Current.CancellationToken, TimeSpan.FromSeconds(60));

        run.ExitCode.ShouldBe(1, run.ToString());
        var lines = run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Length.ShouldBe(1, run.ToString());
        lines[0].ShouldStartWith("invalid configuration: ");
        lines[0].ShouldContain("THANOS_QUERY_URL");
        lines[0].ShouldContain("THANOS_BRIDGE_STEP_SECONDS: 7 does not divide 3600");
        lines[0].ShouldContain("DATABASE_NAME");
        run.Stderr.ShouldNotContain("s3cr3t-password");
        run.Stdout.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("once", "--help")]
    [InlineData("clusters", "-h")]
    [InlineData("replay", "--help")]
    public async Task CommandHelp_WithoutAnyConfiguration_PrintsTheUsage(string command, string help)
    {
        var run = await BridgeProcess.RunAsync(new Dictionary<string, string>(), [command, help], TestContext.Current.CancellationToken, TimeSpan.FromSeconds(60));

        run.ExitCode.ShouldBe(0, run.ToString());
        run.Stdout.ShouldStartWith("usage: ThanosBridge");
        run.Stdout.ShouldContain("once [--cluster ID]");
        run.Stderr.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("once", "--cluster", "a/b", "once: --cluster is not a valid cluster id: it contains '/' (U+002F) at index 1")]
    [InlineData("replay", "--input", "in --output out --cluster-id a..b", "replay: --cluster-id is not a valid cluster id: it contains '..'")]
    public async Task InvalidClusterIdOnTheCommandLine_IsAUsageError_NamingTheOption(string command, string option, string rest, string expected)
    {
        var env = new Dictionary<string, string>
        {
            ["THANOS_QUERY_URL"] = "http://127.0.0.1:9",
            ["THANOS_BRIDGE_CLUSTERS"] = "c1=org1",
        };

        var run = await BridgeProcess.RunAsync(env, [command, option, .. rest.Split(' ')], TestContext.Current.CancellationToken, TimeSpan.FromSeconds(60));

        run.ExitCode.ShouldBe(2, run.ToString());
        run.Stderr.Trim().ShouldStartWith(expected);
        run.Stdout.ShouldBeEmpty();
    }

    [Fact]
    public async Task CheckConfig_ValidConfiguration_PrintsEveryVariable_WithSecretsRedacted()
    {
        var env = new Dictionary<string, string>
        {
            ["THANOS_QUERY_URL"] = "http://thanos:9090",
            ["THANOS_BRIDGE_CLUSTERS"] = "c1=org1",
            ["THANOS_QUERY_TOKEN"] = "tok-" + Guid.NewGuid().ToString("N"),
        };

        var run = await BridgeProcess.RunAsync(env, ["check-config"], TestContext.Current.CancellationToken, TimeSpan.FromSeconds(60));

        run.ExitCode.ShouldBe(0, run.ToString());
        run.Stdout.ShouldContain("THANOS_QUERY_TOKEN=<redacted>");
        run.Stdout.ShouldNotContain(env["THANOS_QUERY_TOKEN"]);
        run.Stdout.ShouldContain("THANOS_BRIDGE_SCHEDULE=0 */6 * * * (default)");
        run.Stdout.TrimEnd().ShouldEndWith("configuration is valid");
    }
}
