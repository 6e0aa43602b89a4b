using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using ThanosBridge.Configuration;

namespace ThanosBridge.OperationsTests.Chart;

/// <summary>
/// The schema's bounds and enums accept what the bridge accepts at start-up: a value the schema lets through must not
/// stop the pod, and a value it refuses must be one the bridge would refuse too. The pairs (variable, value) come
/// from the Deployment's <c>value: {{ .Values.x | quote }}</c> entries.
/// </summary>
public partial class SchemaServiceAgreementTests
{
    /// <summary>The smallest configuration the bridge starts with.</summary>
    private static readonly Dictionary<string, string?> Minimal = new(StringComparer.Ordinal)
    {
        [BridgeVariables.ThanosQueryUrl] = "http://thanos.example:9090",
        [BridgeVariables.Clusters] = "c1=o1",
    };

    /// <summary>Variable, value path and the value's schema, for every variable set straight from a value.</summary>
    private static List<(string Variable, string Path, JsonElement Schema)> DirectlyWired()
    {
        var schema = ChartFiles.DeclaredValues(ChartFiles.Schema()).ToDictionary(d => d.Path, d => d.Schema, StringComparer.Ordinal);
        return
        [
            .. ChartFiles.NamedEntries(ChartFiles.Text("templates/deployment.yaml"), "env:")
                .Where(e => BridgeVariables.All.Contains(e.Name))
                .Select(e => (e.Name, Match: DirectValue().Match(e.Entry)))
                .Where(e => e.Match.Success)
                .Select(e => (e.Name, e.Match.Groups["path"].Value, schema[e.Match.Groups["path"].Value])),
        ];
    }

    [Fact]
    public void DirectlyWiredVariables_AreFound()
    {
        DirectlyWired().Select(w => w.Variable).ShouldContain(BridgeVariables.StepSeconds);
        DirectlyWired().Count.ShouldBeGreaterThan(15);
    }

    [Fact]
    public void IntegerBounds_AreAcceptedByTheBridge_AndOneBeyondIsRejected()
    {
        var disagreements = new List<string>();
        foreach (var (variable, path, schema) in DirectlyWired().Where(w => w.Schema.TryGetProperty("minimum", out _)))
        {
            var min = schema.GetProperty("minimum").GetInt64();
            var max = schema.GetProperty("maximum").GetInt64();
            Expect(variable, path, min, accepted: true);
            Expect(variable, path, max, accepted: true);
            Expect(variable, path, min - 1, accepted: false);
            Expect(variable, path, max + 1, accepted: false);
        }

        disagreements.ShouldBeEmpty();

        void Expect(string variable, string path, long value, bool accepted)
        {
            var problems = ProblemsOf(variable, value.ToString(CultureInfo.InvariantCulture));
            if ((problems.Count == 0) != accepted)
            {
                disagreements.Add($"{path} = {value} ({variable}): the bridge {(accepted ? "rejects" : "accepts")} it, the schema {(accepted ? "accepts" : "rejects")} it: {string.Join("; ", problems)}");
            }
        }
    }

    [Fact]
    public void IntegerEnums_AreExactlyWhatTheBridgeAcceptsInTheirRange()
    {
        var enums = DirectlyWired().Where(w => w.Schema.TryGetProperty("enum", out _) && w.Schema.GetProperty("type").GetString() == "integer").ToList();
        enums.Select(e => e.Variable).ShouldBe([BridgeVariables.StepSeconds]);

        foreach (var (variable, path, schema) in enums)
        {
            var allowed = schema.GetProperty("enum").EnumerateArray().Select(e => e.GetInt64()).ToHashSet();
            var accepted = Enumerable.Range((int)allowed.Min() - 1, (int)(allowed.Max() - allowed.Min()) + 3)
                .Where(v => ProblemsOf(variable, v.ToString(CultureInfo.InvariantCulture)).Count == 0)
                .Select(v => (long)v)
                .ToHashSet();

            accepted.ShouldBe(allowed, ignoreOrder: true, path);
        }
    }

    [Fact]
    public void StringEnums_EveryMemberIsAValueTheBridgeKnows()
    {
        var rejected = new List<string>();
        foreach (var (variable, path, schema) in DirectlyWired().Where(w => w.Schema.TryGetProperty("enum", out _) && w.Schema.GetProperty("type").GetString() == "string"))
        {
            foreach (var member in schema.GetProperty("enum").EnumerateArray().Select(e => e.GetString()!).Where(m => m.Length > 0))
            {
                rejected.AddRange(ProblemsOf(variable, member).Where(p => p.Contains("is not one of", StringComparison.Ordinal)).Select(p => $"{path} = {member}: {p}"));
            }

            ProblemsOf(variable, "not-a-member").ShouldContain(p => p.Contains("is not one of", StringComparison.Ordinal), path);
        }

        rejected.ShouldBeEmpty();
    }

    /// <summary>The bridge's problems with <paramref name="variable"/> set to <paramref name="value"/> over <see cref="Minimal"/>.</summary>
    private static List<string> ProblemsOf(string variable, string value)
    {
        var env = new Dictionary<string, string?>(Minimal, StringComparer.Ordinal) { [variable] = value };
        try
        {
            BridgeSettingsLoader.Load(env);
            return [];
        }
        catch (ConfigurationException e)
        {
            return [.. e.AllProblems.Where(p => p.Variable == variable).Select(p => p.Message)];
        }
    }

    [GeneratedRegex(@"\n\s+value: \{\{ \.Values\.(?<path>[A-Za-z0-9.]+) \| quote \}\}\s*$")]
    private static partial Regex DirectValue();
}
