using System.Xml.Linq;
using ThanosBridge.Adapters.Kafka;
using ThanosBridge.TestSupport;

namespace ThanosBridge.IntegrationTests.Stack;

/// <summary>
/// The Kafka client runs the librdkafka pinned in Directory.Packages.props, from the application's own files. This
/// machine has Debian's librdkafka (2.0.2, with the librdkafka.so link of librdkafka-dev, for the mock broker), which
/// Confluent.Kafka alone loaded instead, because the bundled librdkafka.so needs libsasl2.so.3.
/// </summary>
public class BundledLibrdkafkaTests
{
    [Fact]
    public void EnsureLoaded_LoadsThePinnedBundledBuild_NotTheSystemOne()
    {
        var pinned = XDocument.Load(Path.Combine(StackEnvironment.RepositoryRoot, "Directory.Packages.props"))
            .Descendants("PackageVersion").Single(e => (string?)e.Attribute("Include") == "librdkafka.redist")
            .Attribute("Version")!.Value;

        var path = BundledLibrdkafka.EnsureLoaded();

        path.ShouldStartWith(AppContext.BaseDirectory);
        BundledLibrdkafka.Version.ShouldBe(pinned);
        // Every librdkafka mapped into this process is one of the application's files.
        var mapped = File.ReadLines("/proc/self/maps").Where(l => l.Contains("librdkafka", StringComparison.Ordinal))
            .Select(l => l[l.IndexOf('/', StringComparison.Ordinal)..]).Distinct().ToList();
        mapped.ShouldNotBeEmpty();
        mapped.ShouldAllBe(p => p.StartsWith(AppContext.BaseDirectory, StringComparison.Ordinal));
    }

    [Fact]
    public void EnsureLoaded_CalledAgain_ReturnsTheSameFile()
    {
        BundledLibrdkafka.EnsureLoaded().ShouldBe(BundledLibrdkafka.EnsureLoaded());
    }
}
