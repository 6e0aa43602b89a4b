using Microsoft.Extensions.Logging.Testing;
using ThanosBridge.Adapters.Koku;
using ThanosBridge.Core.Delivery;
using ThanosBridge.Core.Discovery;
using ThanosBridge.TestSupport.Logging;

namespace ThanosBridge.Adapters.Tests.Koku;

public class EnvironmentClusterSourceTests
{
    private const string Alpha = "a1f0c3d2-5b6e-4c7a-8d9e-0f1a2b3c4d01";
    private const string Beta = "b2e1d4c3-6c7f-4d8b-9e0f-1a2b3c4d5e02";

    [Fact]
    public void Parse_PairsWithSpacesAndTrailingComma_ReturnsTrimmedEntries()
    {
        var entries = EnvironmentClusterSource.Parse($"  {Alpha} = 1234567 ,{Beta}=7654321,  ");

        entries.ShouldBe([new ConfiguredCluster(Alpha, "1234567"), new ConfiguredCluster(Beta, "7654321")]);
    }

    [Fact]
    public void Parse_SameClusterForTwoOrgs_KeepsBoth()
    {
        var entries = EnvironmentClusterSource.Parse($"{Alpha}=1234567,{Alpha}=7654321");

        entries.Select(e => e.OrgId).ShouldBe(["1234567", "7654321"]);
    }

    [Theory]
    [InlineData("alpha", "entry 1 \"alpha\" is malformed: it has no '='")]
    [InlineData("alpha=1,=2", "entry 2 \"=2\" is malformed: the cluster id before '=' is empty")]
    [InlineData("alpha= ", "entry 1 \"alpha=\" is malformed: the org id after '=' is empty")]
    [InlineData("alpha=1 beta=2", "entry 1 \"alpha=1 beta=2\" is malformed: the org id contains '=' or whitespace")]
    [InlineData("alpha=1;beta=2", "entry 1 \"alpha=1;beta=2\" is malformed: the org id contains '=' or whitespace")]
    [InlineData("alpha=1, alpha = 1", "entry 2 \"alpha = 1\" is malformed: it repeats an earlier entry")]
    public void Parse_BadEntry_ThrowsFormatExceptionNamingVariableAndEntry(string value, string expected)
    {
        var ex = Should.Throw<FormatException>(() => EnvironmentClusterSource.Parse(value));

        ex.Message.ShouldStartWith("THANOS_BRIDGE_CLUSTERS " + expected);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" , ,")]
    public void Parse_NoEntry_ThrowsFormatException(string value)
    {
        var ex = Should.Throw<FormatException>(() => EnvironmentClusterSource.Parse(value));

        ex.Message.ShouldStartWith("THANOS_BRIDGE_CLUSTERS lists no cluster");
    }

    [Fact]
    public async Task DiscoverAsync_InvalidClusterId_SkippedAndOthersReturned()
    {
        var logger = new FakeLogger<EnvironmentClusterSource>();
        var sut = EnvironmentClusterSource.FromValue($"{Alpha}=1234567, bad/id=1234567", logger);

        var result = await sut.DiscoverAsync(TestContext.Current.CancellationToken);

        result.Clusters.ShouldBe([new DiscoveredCluster(Alpha, "1234567")]);
        var skipped = result.Skipped.ShouldHaveSingleItem();
        skipped.ClusterId.ShouldBe("bad/id");
        skipped.Reason.ShouldBe(SkipReasons.InvalidClusterId);
        skipped.Detail.ShouldContain("'/'");
        logger.Entries().Select(e => e.EventId).ShouldBe([1002, 1010]);
    }
}
