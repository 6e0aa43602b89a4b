using System.Text.Json;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace ThanosBridge.OperationsTests.Chart;

/// <summary>values.yaml, values.schema.json and the ci install scenarios agree (what <c>helm lint</c> would check).</summary>
public partial class ValuesSchemaTests
{
    [Fact]
    public void Schema_UsesOnlyTheKeywordsTheValidatorChecks()
    {
        SchemaSubset.UnsupportedKeywords(ChartFiles.Schema()).ShouldBeEmpty();
    }

    [Fact]
    public void Values_ValidateAgainstTheSchema()
    {
        SchemaSubset.Validate(ChartFiles.Schema(), ChartFiles.Values()).ShouldBeEmpty();
    }

    public static TheoryData<string> CiScenarios() => [.. ChartFiles.CiScenarios()];

    [Fact]
    public void CiScenarios_CoverAMinimalAndAFullInstall()
    {
        ChartFiles.CiScenarios().ShouldBe(["ci/full-values.yaml", "ci/minimal-values.yaml"], ignoreOrder: true);
    }

    [Theory]
    [MemberData(nameof(CiScenarios))]
    public void CiScenario_MergedOverValues_ValidatesAgainstTheSchema(string scenario)
    {
        var merged = ChartFiles.Merge(ChartFiles.Values(), ChartFiles.LoadYamlMapping(scenario));

        SchemaSubset.Validate(ChartFiles.Schema(), merged).ShouldBeEmpty();
    }

    [Fact]
    public void CiScenarios_FullConfiguresDatabaseS3AndKafkaWithSecretsAndMinimalNone()
    {
        var full = ChartFiles.Merge(ChartFiles.Values(), ChartFiles.LoadYamlMapping("ci/full-values.yaml"));
        var minimal = ChartFiles.Merge(ChartFiles.Values(), ChartFiles.LoadYamlMapping("ci/minimal-values.yaml"));

        foreach (var path in new[] { "database.host", "database.secretName", "objectStorage.endpoint", "objectStorage.secretName", "kafka.bootstrapServers", "kafka.sasl.existingSecret" })
        {
            ChartFiles.ValueAt(full, path).ShouldBeOfType<string>().ShouldNotBeEmpty(path);
            ChartFiles.ValueAt(minimal, path).ShouldBe("", path);
        }

        ((List<object?>)ChartFiles.ValueAt(minimal, "clusters")!).ShouldNotBeEmpty("without a database the clusters are listed");
        ((List<object?>)ChartFiles.ValueAt(full, "clusters")!).ShouldBeEmpty("with a database the clusters are discovered");
    }

    /// <summary>Each case breaks one rule of the schema subset; the validator must report it at the right path.</summary>
    public static TheoryData<string, string, string> BrokenValues() => new()
    {
        { "type", "stepSeconds: \"60\"", "stepSeconds: \"60\" is not of type \"integer\"" },
        { "enum", "stepSeconds: 7", "stepSeconds: 7 is not one of" },
        { "maximum", "replicas: 2", "replicas: 2 is greater than the maximum 1" },
        { "minimum", "maxParallelClusters: 0", "maxParallelClusters: 0 is less than the minimum 1" },
        { "pattern", "clusterLabel: __name__", "clusterLabel: \"__name__\" does not match" },
        { "additionalProperties", "thanosQueryURL: https://thanos", "thanosQueryURL: additional property not allowed" },
        { "nested additionalProperties", "database:\n  password: hunter2", "database.password: additional property not allowed" },
        { "items", "clusters:\n  - id: c1", "clusters[0].orgId: required property missing" },
        { "item pattern", "clusters:\n  - id: c1\n    orgId: \"org 1\"", "clusters[0].orgId: \"org 1\" does not match" },
        { "minLength", "image:\n  repository: \"\"", "image.repository: \"\" is shorter than 1" },
        { "boolean type", "ros:\n  enabled: \"yes\"", "ros.enabled: \"yes\" is not of type \"boolean\"" },
        { "enum of strings", "kafka:\n  securityProtocol: TLS", "kafka.securityProtocol: \"TLS\" is not one of" },
    };

    [Theory]
    [MemberData(nameof(BrokenValues))]
    public void Validator_RejectsAValueThatBreaksTheSchema(string rule, string overrideYaml, string expectedError)
    {
        var values = ChartFiles.Merge(ChartFiles.Values(), ChartFiles.ParseYamlMapping(overrideYaml));

        var errors = SchemaSubset.Validate(ChartFiles.Schema(), values);

        errors.ShouldContain(e => e.StartsWith(expectedError, StringComparison.Ordinal), $"rule {rule}; errors: {string.Join("; ", errors)}");
    }

    [Fact]
    public void Validator_ReportsAMissingRequiredValue()
    {
        var values = ChartFiles.Values();
        values.Remove("thanosQueryUrl");

        SchemaSubset.Validate(ChartFiles.Schema(), values).ShouldBe(["thanosQueryUrl: required property missing"]);
    }

    [Fact]
    public void Validator_RefusesASchemaKeywordOutsideTheSubset()
    {
        using var schema = JsonDocument.Parse("""{"type":"object","properties":{"a":{"type":"string","format":"uri"}}}""");

        Should.Throw<NotSupportedException>(() => SchemaSubset.Validate(schema.RootElement, new Dictionary<string, object?>()))
            .Message.ShouldContain("#/properties/a: format");
    }

    [Fact]
    public void Schema_DeclaresEveryValueOfValuesYamlAndNoOther()
    {
        var schema = ChartFiles.Schema();
        var values = ChartFiles.Values();

        // values.yaml within the schema: the validation above (additionalProperties false on every declared object).
        // The schema within values.yaml: every declared value has a default there.
        ChartFiles.DeclaredValues(schema).Select(d => d.Path).Where(p => !ChartFiles.HasValue(values, p)).ShouldBeEmpty();
    }

    [Fact]
    public void Schema_EveryObjectIsClosedAndEveryPropertyIsDescribedAndCamelCase()
    {
        var problems = new List<string>();
        var schema = ChartFiles.Schema();
        foreach (var (path, node, _) in ChartFiles.DeclaredValues(schema).Prepend(("(root)", schema, false)))
        {
            if (!node.TryGetProperty("description", out var description) || string.IsNullOrWhiteSpace(description.GetString()))
            {
                problems.Add($"{path}: no description");
            }

            if (node.TryGetProperty("properties", out _)
                && (!node.TryGetProperty("additionalProperties", out var additional) || additional.ValueKind != JsonValueKind.False))
            {
                problems.Add($"{path}: declares properties but does not set additionalProperties: false");
            }

            if (path != "(root)" && !CamelCase().IsMatch(path.Split('.')[^1]))
            {
                problems.Add($"{path}: not camelCase");
            }
        }

        problems.ShouldBeEmpty();
    }

    [Fact]
    public void Schema_HoldsNoSecretValues_OnlyNamesOfSecretsAndTheirKeys()
    {
        var suspicious = ChartFiles.DeclaredValues(ChartFiles.Schema())
            .Where(d => d.Schema.TryGetProperty("type", out var t) && t.GetString() == "string")
            .Select(d => d.Path.Split('.')[^1])
            .Where(name => SecretWord().IsMatch(name))
            .Where(name => !name.EndsWith("Key", StringComparison.Ordinal)
                && !name.EndsWith("Secret", StringComparison.Ordinal)
                && name != "secretName")
            .ToList();

        suspicious.ShouldBeEmpty("credentials come from existing Secrets; values only name them and their keys");
    }

    [Fact]
    public void ValuesYaml_EveryDeclaredValueHasACommentAboveIt()
    {
        var text = ChartFiles.Text("values.yaml");
        var lines = text.Split('\n');
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        var schema = ChartFiles.Schema();
        var uncommented = new List<string>();
        Walk((YamlMappingNode)stream.Documents[0].RootNode, "");
        uncommented.ShouldBeEmpty("every value has a comment (style.md item 25)");

        void Walk(YamlMappingNode map, string path)
        {
            foreach (var (keyNode, valueNode) in map.Children)
            {
                var key = path.Length == 0 ? ((YamlScalarNode)keyNode).Value! : path + "." + ((YamlScalarNode)keyNode).Value;
                if (!ChartFiles.Declares(schema, key))
                {
                    continue; // inside a free-form map or list (labels, NetworkPolicy peers): data, not a value
                }

                var above = (int)keyNode.Start.Line - 2; // Mark.Line is 1-based
                if (above < 0 || !lines[above].TrimStart().StartsWith('#'))
                {
                    uncommented.Add(key);
                }

                if (valueNode is YamlMappingNode child)
                {
                    Walk(child, key);
                }
            }
        }
    }

    [GeneratedRegex("^[a-z][a-zA-Z0-9]*$")]
    private static partial Regex CamelCase();

    [GeneratedRegex("(?i)password|secret|token|accesskey")]
    private static partial Regex SecretWord();
}
