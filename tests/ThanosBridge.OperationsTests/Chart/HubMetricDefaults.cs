using ThanosBridge.Core.Collection.Catalog;
using ThanosBridge.Core.Collection.Promql;
using YamlDotNet.RepresentationModel;

namespace ThanosBridge.OperationsTests.Chart;

/// <summary>
/// What reaches the hub by default (MCO's lists in <c>Chart/TestData/mco</c>, README there) against what the query
/// catalog reads, and so what the chart's allowlist and ScrapeConfig must add.
/// </summary>
internal static class HubMetricDefaults
{
    private static string TestData(string file) => Path.Combine(OperationsFiles.Root, "tests", "ThanosBridge.OperationsTests", "Chart", "TestData", "mco", file);

    /// <summary>Every selector of a named metric in the catalog's queries (as sent and in their counter form).</summary>
    public static IReadOnlyList<VectorSelector> CatalogSelectors { get; } =
    [
        .. QueryCatalog.All
            .SelectMany(q => new[] { q.Expression, q.Counter?.Expression }.OfType<string>())
            .SelectMany(e => PromqlParser.Parse(e).DescendantsAndSelf().OfType<VectorSelector>())
            .Where(s => s.MetricName is not null),
    ];

    public static IReadOnlySet<string> CatalogNames { get; } = CatalogSelectors.Select(s => s.MetricName!).ToHashSet(StringComparer.Ordinal);

    /// <summary>The collector's default <c>metrics_list.yaml</c> (the ConfigMap observability-metrics-allowlist).</summary>
    public static YamlMappingNode LegacyList
    {
        get
        {
            var configMap = (YamlMappingNode)Load(TestData("metrics_allowlist.yaml"));
            var text = ((YamlScalarNode)((YamlMappingNode)configMap["data"])["metrics_list.yaml"]).Value!;
            return (YamlMappingNode)Load(new StringReader(text));
        }
    }

    /// <summary>The catalog names the collector forwards by default: listed in <c>names</c>, or by a <c>matches</c> entry every catalog selector of the name implies.</summary>
    public static IReadOnlySet<string> LegacyForwarded
    {
        get
        {
            var list = LegacyList;
            var names = Strings(list["names"]).Select(n => n.Trim()).ToHashSet(StringComparer.Ordinal);
            names.UnionWith(CoveredBy(Strings(list["matches"]).Select(m => "{" + m + "}")));
            return names;
        }
    }

    /// <summary>The default renames (spoke name → hub name): a renamed metric never reaches the hub under its own name.</summary>
    public static IReadOnlyDictionary<string, string> LegacyRenames =>
        ((YamlMappingNode)LegacyList["renames"]).Children.ToDictionary(kv => ((YamlScalarNode)kv.Key).Value!, kv => ((YamlScalarNode)kv.Value).Value!, StringComparer.Ordinal);

    /// <summary>The catalog names the addon's default platform ScrapeConfig federates (each <c>match[]</c> entry implied by every catalog selector of its name).</summary>
    public static IReadOnlySet<string> McoaForwarded
    {
        get
        {
            var scrape = (YamlMappingNode)Load(TestData("platform-mcoa-scrape-config.yaml"));
            var matches = Strings(((YamlMappingNode)((YamlMappingNode)scrape["spec"])["params"])["match[]"]);
            return CoveredBy(matches).ToHashSet(StringComparer.Ordinal);
        }
    }

    /// <summary>What the chart's custom allowlist must list: the catalog's names the default lacks (a renamed name is not listed: listing cannot undo a rename).</summary>
    public static IReadOnlyList<string> LegacyMissing =>
        [.. CatalogNames.Except(LegacyForwarded).Except(LegacyRenames.Keys).Order(StringComparer.Ordinal)];

    /// <summary>What the chart's ScrapeConfig must federate: the catalog's names the addon's default lacks, and the recorded ones.</summary>
    public static IReadOnlyList<string> McoaMissing =>
        [.. CatalogNames.Except(McoaForwarded).Concat(PodResourceSupply.Families.Select(PodResourceSupply.RecordedName)).Order(StringComparer.Ordinal)];

    /// <summary>
    /// The names of those selectors (<c>{__name__="x", ...}</c>) whose other matchers every catalog selector of the name
    /// also has: e.g. <c>container!=""</c> covers the catalog's container queries, <c>label_vm_kubevirt_io_name!=""</c>
    /// does not cover the pod labels of every pod.
    /// </summary>
    private static IEnumerable<string> CoveredBy(IEnumerable<string> selectors)
    {
        foreach (var text in selectors)
        {
            var selector = PromqlParser.Parse(text).DescendantsAndSelf().OfType<VectorSelector>().Single();
            var extra = selector.Matchers.Where(m => m.Name != "__name__").Select(m => (m.Name, m.Operator, m.Value)).ToList();
            var ofName = CatalogSelectors.Where(s => s.MetricName == selector.MetricName).ToList();
            if (ofName.Count > 0 && ofName.All(s => extra.All(e => s.Matchers.Any(m => (m.Name, m.Operator, m.Value) == e))))
            {
                yield return selector.MetricName!;
            }
        }
    }

    private static IEnumerable<string> Strings(YamlNode node) =>
        ((YamlSequenceNode)node).Children.Select(c => ((YamlScalarNode)c).Value ?? "");

    private static YamlNode Load(string path)
    {
        using var reader = File.OpenText(path);
        return Load(reader);
    }

    private static YamlNode Load(TextReader reader)
    {
        var stream = new YamlStream();
        stream.Load(reader);
        return stream.Documents.Single().RootNode;
    }
}
