using ThanosBridge.Commands;

namespace ThanosBridge.Tests.Commands;

/// <summary>The replay command rejects a --step that <c>QueryStep</c> does not accept as a usage error naming the option.</summary>
public sealed class ReplayCommandTests
{
    [Fact]
    public async Task Replay_StepThatDoesNotDivideAnHour_IsAUsageErrorNamingTheOption()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var code = await BridgeCommandLine.RunAsync(
            ["replay", "--input", "in", "--cluster-id", "c1", "--start", "2026-11-20T00:00:00Z", "--end", "2026-11-20T01:00:00Z", "--output", "out", "--step", "70"],
            stdout, stderr, TimeProvider.System, TestContext.Current.CancellationToken);

        code.ShouldBe(BridgeCommandLine.UsageError);
        stderr.ToString().ShouldContain("--step 70 does not divide 3600");
    }
}
