namespace ThanosBridge.OperationsTests;

/// <summary>The YAML the alert tests read (YamlDotNet), as plain values; a malformed file fails instead of being misread.</summary>
public sealed class YamlTreeTests
{
    [Fact]
    public void Parse_BlockStructures_ReadsMappingsSequencesAndScalars()
    {
        const string yaml = """
            # comment
            rule_files:
              - ../alerts.yaml
            tests:
            - interval: 1m # trailing comment
              input_series:
                - series: 'up{job="a",
                    instance="b:9090"}'
                  values: '1x30 0x30'
              alert_rule_test:
                - eval_time: 5m
                  exp_alerts: []
                  flow: [a, 'b c']
                  empty: {}
                  literal: |
                    line one
                      indented
                  folded: >-
                    joined
                    words

                    new paragraph
                  quoted: "say \"hi\""
            """;

        var root = YamlTree.Map(YamlTree.Parse(yaml), "root");

        YamlTree.List(root["rule_files"], "rule_files").ShouldBe(["../alerts.yaml"]);
        var test = YamlTree.Map(YamlTree.List(root["tests"], "tests").Single(), "test");
        test["interval"].ShouldBe("1m");
        var series = YamlTree.Map(YamlTree.List(test["input_series"], "input_series").Single(), "series");
        series["series"].ShouldBe("up{job=\"a\", instance=\"b:9090\"}");
        series["values"].ShouldBe("1x30 0x30");
        var entry = YamlTree.Map(YamlTree.List(test["alert_rule_test"], "alert_rule_test").Single(), "entry");
        entry["eval_time"].ShouldBe("5m");
        YamlTree.List(entry["exp_alerts"], "exp_alerts").ShouldBeEmpty();
        YamlTree.List(entry["flow"], "flow").ShouldBe(["a", "b c"]);
        YamlTree.Map(entry["empty"], "empty").ShouldBeEmpty();
        entry["literal"].ShouldBe("line one\n  indented\n");
        entry["folded"].ShouldBe("joined words\nnew paragraph");
        entry["quoted"].ShouldBe("say \"hi\"");
    }

    [Theory]
    [InlineData("a: 1\n  b: 2\n")]
    [InlineData("a: 1\na: 2\n")]
    [InlineData("a: 'unterminated\n")]
    public void Parse_InvalidYaml_ThrowsFormatException(string yaml)
    {
        Should.Throw<FormatException>(() => YamlTree.Parse(yaml));
    }
}
