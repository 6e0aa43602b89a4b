using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using ThanosBridge.Configuration;
using ThanosBridge.TestSupport;

namespace ThanosBridge.OperationsTests.Docs;

/// <summary>Configuration drift: every variable the service reads is documented, and nothing documented is unknown.</summary>
public partial class DocumentationTests
{
    private static string Read(string path) => File.ReadAllText(Path.Combine(StackEnvironment.RepositoryRoot, path));

    [Theory]
    [InlineData("README.md")]
    [InlineData("docs/configuration.md")]
    public void EveryVariableTheServiceReads_IsInTheConfigurationTable(string document)
    {
        var documented = TableVariables().Matches(Read(document)).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);

        BridgeVariables.All.Where(n => !documented.Contains(n)).ShouldBeEmpty($"variables missing from {document}");
        documented.Where(n => !BridgeVariables.All.Contains(n)).ShouldBeEmpty($"{document} documents variables the service does not read");
    }

    [Fact]
    public void ReadmeLinks_PointToFilesThatExist()
    {
        var missing = MarkdownLinks().Matches(Read("README.md")).Select(m => m.Groups[1].Value)
            .Where(l => !l.StartsWith("http", StringComparison.Ordinal))
            .Where(l => !File.Exists(Path.Combine(StackEnvironment.RepositoryRoot, l)) && !Directory.Exists(Path.Combine(StackEnvironment.RepositoryRoot, l)));
        missing.ShouldBeEmpty();
    }

    [Fact]
    public void EveryLogEvent_IsInTheObservabilityEventTables_WithItsExactMessage()
    {
        var assemblies = new[] { typeof(BridgeVariables).Assembly, typeof(ThanosBridge.Adapters.Kafka.KafkaOptions).Assembly, typeof(ThanosBridge.Core.Collection.Catalog.QueryCatalog).Assembly };
        var events = assemblies.SelectMany(a => a.GetTypes())
            .SelectMany(t => t.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Select(m => m.GetCustomAttribute<LoggerMessageAttribute>())
            .OfType<LoggerMessageAttribute>()
            .Select(a => $"{a.EventId} {a.EventName} {a.Message}")
            .Order(StringComparer.Ordinal)
            .ToList();
        var documented = Read("docs/observability.md").Split('\n')
            .Where(l => EventRow().IsMatch(l))
            .Select(l => l.Trim('|').Split(" | ").Select(c => c.Trim().Trim('`')).ToList())
            .Select(r => $"{r[0]} {r[1]} {r[3]}")
            .Order(StringComparer.Ordinal)
            .ToList();

        events.Count.ShouldBeGreaterThan(50);
        documented.ShouldBe(events);
    }

    [Fact]
    public void EveryWarningOrWorseLogEvent_IsInARunbookFailureTable()
    {
        var runbooks = string.Concat(Directory.GetFiles(Path.Combine(StackEnvironment.RepositoryRoot, "runbooks"), "*.md").Select(File.ReadAllText));
        var assemblies = new[] { typeof(BridgeVariables).Assembly, typeof(ThanosBridge.Adapters.Kafka.KafkaOptions).Assembly };
        var missing = assemblies.SelectMany(a => a.GetTypes())
            .SelectMany(t => t.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Select(m => m.GetCustomAttribute<LoggerMessageAttribute>())
            .OfType<LoggerMessageAttribute>()
            .Where(a => a.Level is LogLevel.Warning or LogLevel.Error or LogLevel.Critical or LogLevel.None)
            .Where(a => !runbooks.Contains($"| {a.EventId} | `{a.Message}` |", StringComparison.Ordinal))
            .Select(a => $"{a.EventId} {a.EventName}");

        missing.ShouldBeEmpty("an operator acts on these: each needs a row (EventId, exact message, cause, resolution) in a runbook");
    }

    [GeneratedRegex(@"^\| [0-9]{4} \| `")]
    private static partial Regex EventRow();

    [GeneratedRegex(@"^\| `([A-Z][A-Z0-9_]+)` \|", RegexOptions.Multiline)]
    private static partial Regex TableVariables();

    [GeneratedRegex(@"\]\(([^)#]+)\)")]
    private static partial Regex MarkdownLinks();
}
