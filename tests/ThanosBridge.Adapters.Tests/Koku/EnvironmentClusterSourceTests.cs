using Microsoft.Extensions.Logging.Testing;
using ThanosBridge.Adapters.Koku;
using ThanosBridge.Core.Discovery;
using ThanosBridge.TestSupport.Logging;

namespace ThanosBridge.Adapters.Tests.Koku;

/// <summary>The list's parsing and validation are the settings' (BridgeSettingsLoaderTests); the source only hands it on.</summary>
public class EnvironmentClusterSourceTests
{
    [Fact]
    public async Task DiscoverAsync_ConfiguredClusters_ReturnsThemAllAndLogsTheCount()
    {
        var logger = new FakeLogger<EnvironmentClusterSource>();
        DiscoveredCluster[] clusters = [new(ClusterId.Parse("a1"), "1234567"), new(ClusterId.Parse("a1"), "7654321"), new(ClusterId.Parse("b2"), "1234567")];
        var sut = new EnvironmentClusterSource(clusters, logger);

        var result = await sut.DiscoverAsync(TestContext.Current.CancellationToken);

        result.Clusters.ShouldBe(clusters);
        result.Skipped.ShouldBeEmpty();
        logger.Entries().Select(e => e.EventId).ShouldBe([1010]);
    }
}
