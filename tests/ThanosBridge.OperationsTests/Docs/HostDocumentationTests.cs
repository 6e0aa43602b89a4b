using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ThanosBridge.Configuration;
using ThanosBridge.Core.Discovery;
using ThanosBridge.Core.Metrics;
using ThanosBridge.Health;
using ThanosBridge.Telemetry;
using ThanosBridge.TestSupport;
using ThanosBridge.TestSupport.Fakes;

namespace ThanosBridge.OperationsTests.Docs;

/// <summary>The operator documents name exactly what the code reads and exports (configuration drift test).</summary>
public partial class HostDocumentationTests
{
    [Fact]
    public void ConfigurationDoc_VariableTables_ListEveryVariableInLoaderOrderAndNoOther()
    {
        var documented = TableFirstCells("configuration.md").Where(c => VariableName().IsMatch(c)).ToList();

        documented.ShouldBe(BridgeVariables.All);
    }

    [Fact]
    public async Task MetricsDoc_Table_ListsExactlyTheExportedFamiliesWithTheirTypes()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var factory = services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        using var adapter = new PrometheusMeterAdapter(factory);
        var metrics = new BridgeMetrics(factory, "test");
        var state = new ReadinessState(new FakeTimeProvider(), ["thanos"]);
        _ = new HealthMetrics(factory, state);
        // A family is exported from its first measurement on: give every instrument one.
        KeyValuePair<string, object?> Tag(string key) => new(key, "x");
        metrics.Runs.Add(1, Tag("result"));
        metrics.RunDuration.Record(1);
        metrics.ClusterRuns.Add(1, Tag("result"));
        metrics.Queries.Add(1, Tag("query"));
        metrics.QueryFailures.Add(1, Tag("query"), Tag("reason"));
        metrics.QueryDuration.Record(1, Tag("query"));
        metrics.EmptyQueries.Add(1, Tag("query"));
        metrics.Rows.Add(1, Tag("report"));
        metrics.Payloads.Add(1, Tag("result"));
        metrics.PayloadBytes.Record(1);
        metrics.SetDiscovery(1, new Dictionary<string, int> { ["paused"] = 1 }, 0);
        metrics.SetLastDelivered(ClusterId.Parse("c1"), DateTimeOffset.UnixEpoch);
        metrics.SetPodResources(ClusterId.Parse("c1"), ThanosBridge.Core.Collection.Catalog.PodResourceSupply.Families
            .ToDictionary(f => f, _ => ThanosBridge.Core.Collection.Catalog.PodResourceSource.Raw));
        metrics.SetConfirmation([(ClusterId.Parse("c1"), "awaiting", DateTimeOffset.UnixEpoch)], ["awaiting"]);
        var exported = (await adapter.CollectAsync(TestContext.Current.CancellationToken)).Split('\n')
            .Where(l => l.StartsWith("# TYPE ", StringComparison.Ordinal))
            .Select(l => l["# TYPE ".Length..])
            .Order(StringComparer.Ordinal)
            .ToList();

        var documented = Rows("metrics.md")
            .Where(r => r[0].StartsWith("thanos_bridge_", StringComparison.Ordinal))
            .Select(r => r[0] + " " + r[1])
            .Order(StringComparer.Ordinal)
            .ToList();

        documented.ShouldBe(exported);
    }

    [Fact]
    public void ObservabilityDoc_EventTable_ListsEveryHostAndHealthLogEventVerbatim()
    {
        var events = typeof(BridgeSettings).Assembly.GetTypes()
            .Where(t => t.Name == "Log" && t.Namespace is "ThanosBridge.Hosting" or "ThanosBridge.Health" or "ThanosBridge.Telemetry")
            .SelectMany(t => t.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic))
            .Select(m => m.GetCustomAttribute<LoggerMessageAttribute>())
            .OfType<LoggerMessageAttribute>()
            .Select(a => $"{a.EventId} {a.EventName} {a.Level} {a.Message}")
            .Order(StringComparer.Ordinal)
            .ToList();

        var documented = Rows("observability.md")
            .Where(r => r.Count == 5 && int.TryParse(r[0], out var id) && id is >= 9000 and < 9200)
            .Select(r => $"{r[0]} {r[1]} {r[2]} {r[3]}")
            .Order(StringComparer.Ordinal)
            .ToList();

        events.ShouldNotBeEmpty();
        documented.ShouldBe(events);
    }

    private static IEnumerable<string> TableFirstCells(string doc) => Rows(doc).Select(r => r[0]);

    /// <summary>Markdown table rows (header and separator excluded), cells trimmed and unquoted from backticks.</summary>
    private static IEnumerable<List<string>> Rows(string doc) =>
        File.ReadAllLines(Path.Combine(StackEnvironment.RepositoryRoot, "docs", doc))
            .Where(l => l.StartsWith("| ", StringComparison.Ordinal) && !l.StartsWith("| ---", StringComparison.Ordinal))
            .Select(l => l.Trim('|').Split(" | ").Select(c => c.Trim().Trim('`')).ToList());

    [GeneratedRegex("^[A-Z][A-Z0-9_]+$")]
    private static partial Regex VariableName();
}
