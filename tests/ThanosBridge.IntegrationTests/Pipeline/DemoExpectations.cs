using System.Globalization;
using System.Text.Json;
using ThanosBridge.TestSupport;

namespace ThanosBridge.IntegrationTests.Pipeline;

/// <summary>
/// The per-hour values the demo data generator computed from its own raw samples (tools/demodata/generate.py), by
/// emulating Prometheus's evaluation independently of the bridge.
/// </summary>
internal sealed class DemoExpectations
{
    private readonly JsonElement root;

    private DemoExpectations(JsonDocument doc) => root = doc.RootElement;

    public static DemoExpectations Load()
    {
        var doc = JsonDocument.Parse(File.ReadAllBytes(StackEnvironment.Current["DEMO_EXPECTED_FILE"]));
        return new DemoExpectations(doc);
    }

    public IEnumerable<JsonElement> Clusters => root.GetProperty("clusters").EnumerateArray();

    public IReadOnlyList<DateTimeOffset> Hours =>
        [.. root.GetProperty("hours").EnumerateArray().Select(h => DateTimeOffset.Parse(h.GetString()!, CultureInfo.InvariantCulture))];

    public string ClusterId(string name) =>
        Clusters.First(c => c.GetProperty("name").GetString() == name).GetProperty("id").GetString()!;

    public string OrgId(string name) =>
        Clusters.First(c => c.GetProperty("name").GetString() == name).GetProperty("org_id").GetString()!;

    /// <summary>section: nodes, pods, storage or vms → row key → column → value (string or number).</summary>
    public Dictionary<string, Dictionary<string, JsonElement>> Rows(string clusterId, DateTimeOffset hour, string section)
    {
        var rows = new Dictionary<string, Dictionary<string, JsonElement>>(StringComparer.Ordinal);
        var hourKey = hour.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        if (root.GetProperty("expected").GetProperty(clusterId).TryGetProperty(hourKey, out var h) && h.TryGetProperty(section, out var s))
        {
            foreach (var row in s.EnumerateObject())
            {
                rows[row.Name] = row.Value.EnumerateObject().ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal);
            }
        }

        return rows;
    }

    /// <summary>The most recent UTC day whose 24 hours all have expectations (the data spans 48 hours).</summary>
    public DateTimeOffset LastFullDay()
    {
        var hours = Hours.ToHashSet();
        var day = new DateTimeOffset(hours.Max().UtcDateTime.Date, TimeSpan.Zero);
        while (!Enumerable.Range(0, 24).All(i => hours.Contains(day.AddHours(i))))
        {
            day = day.AddDays(-1);
        }

        return day;
    }
}
