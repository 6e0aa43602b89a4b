using ThanosBridge.Core.Collection.Promql;
using ThanosBridge.Core.Discovery;

namespace ThanosBridge.Core.Tests.Collection.Promql;

public class ClusterLabelInjectorTests
{
    private const string Label = ClusterLabelInjector.DefaultLabelName;

    [Theory]
    // Selector forms.
    [InlineData("foo", "foo{clusterID=\"c1\"}")]
    [InlineData("foo{}", "foo{clusterID=\"c1\"}")]
    [InlineData("foo{ }", "foo{clusterID=\"c1\" }")]
    [InlineData("foo{a=\"b\"}", "foo{a=\"b\",clusterID=\"c1\"}")]
    [InlineData("foo{a=\"b\",}", "foo{a=\"b\",clusterID=\"c1\"}")]
    [InlineData("foo{ a = \"b\" , }", "foo{ a = \"b\" ,clusterID=\"c1\" }")]
    [InlineData("foo{a=\"b\" }", "foo{a=\"b\",clusterID=\"c1\" }")]
    [InlineData("foo{a='b', c!~`d`}", "foo{a='b', c!~`d`,clusterID=\"c1\"}")]
    [InlineData("foo{a=\"}\", b=\"{x}\"}", "foo{a=\"}\", b=\"{x}\",clusterID=\"c1\"}")]
    [InlineData("{__name__=\"m\"}", "{__name__=\"m\",clusterID=\"c1\"}")]
    [InlineData("{__name__=~\"m.*\", job=\"x\"}", "{__name__=~\"m.*\", job=\"x\",clusterID=\"c1\"}")]
    [InlineData("{\"my.metric\", \"a.b\"=\"c\"}", "{\"my.metric\", \"a.b\"=\"c\",clusterID=\"c1\"}")]
    [InlineData("cost:pod_labels", "cost:pod_labels{clusterID=\"c1\"}")]
    [InlineData("foo{a=\"b\" # why\n}", "foo{a=\"b\",clusterID=\"c1\" # why\n}")]
    [InlineData("foo{clusterid=\"other\"}", "foo{clusterid=\"other\",clusterID=\"c1\"}")]
    [InlineData("sum + 1", "sum{clusterID=\"c1\"} + 1")]
    // Ranges, subqueries and modifiers: the matcher goes before "[" and the modifiers.
    [InlineData("rate(foo[5m])", "rate(foo{clusterID=\"c1\"}[5m])")]
    [InlineData("rate(foo{a=\"b\"} [5m] offset 1h)", "rate(foo{a=\"b\",clusterID=\"c1\"} [5m] offset 1h)")]
    [InlineData("foo offset -5m", "foo{clusterID=\"c1\"} offset -5m")]
    [InlineData("foo @ start()", "foo{clusterID=\"c1\"} @ start()")]
    [InlineData("max_over_time(foo[15m:])", "max_over_time(foo{clusterID=\"c1\"}[15m:])")]
    [InlineData("max_over_time(rate(foo[5m])[1h:5m])", "max_over_time(rate(foo{clusterID=\"c1\"}[5m])[1h:5m])")]
    // Every operand and argument.
    [InlineData("foo or bar unless baz", "foo{clusterID=\"c1\"} or bar{clusterID=\"c1\"} unless baz{clusterID=\"c1\"}")]
    [InlineData("-foo ^ +(bar) > bool 2", "-foo{clusterID=\"c1\"} ^ +(bar{clusterID=\"c1\"}) > bool 2")]
    [InlineData("topk(scalar(bar), foo)", "topk(scalar(bar{clusterID=\"c1\"}), foo{clusterID=\"c1\"})")]
    [InlineData("quantile(0.9, foo)", "quantile(0.9, foo{clusterID=\"c1\"})")]
    [InlineData("absent(nope{job=\"x\"})", "absent(nope{job=\"x\",clusterID=\"c1\"})")]
    // Label names in grouping and matching clauses, strings, function names and keywords are never touched.
    [InlineData("sum by (clusterID) (foo)", "sum by (clusterID) (foo{clusterID=\"c1\"})")]
    [InlineData("SUM WITHOUT (pod) (foo) / ON(clusterID) GROUP_LEFT(node) bar",
        "SUM WITHOUT (pod) (foo{clusterID=\"c1\"}) / ON(clusterID) GROUP_LEFT(node) bar{clusterID=\"c1\"}")]
    [InlineData("count_values(\"clusterID\", foo)", "count_values(\"clusterID\", foo{clusterID=\"c1\"})")]
    [InlineData("label_replace(foo, \"clusterID\", \"{x}\", \"src\", \"(.*)\")", "label_replace(foo{clusterID=\"c1\"}, \"clusterID\", \"{x}\", \"src\", \"(.*)\")")]
    [InlineData("foo # bar{x=\"y\"} and baz\n+ bar", "foo{clusterID=\"c1\"} # bar{x=\"y\"} and baz\n+ bar{clusterID=\"c1\"}")]
    [InlineData("\tfoo\r\n  *\t2 ", "\tfoo{clusterID=\"c1\"}\r\n  *\t2 ")]
    // No selector, nothing to do.
    [InlineData("vector(1)", "vector(1)")]
    [InlineData("time() - 0x10 * 1e3", "time() - 0x10 * 1e3")]
    [InlineData("\"str\"", "\"str\"")]
    public void Inject_Expression_AddsMatcherAndKeepsEveryOtherByte(string input, string expected)
    {
        ClusterLabelInjector.Inject(input, Label, ClusterId.Parse("c1")).ShouldBe(expected);
    }

    [Fact]
    public void NarrowTo_AddsOneSetMatcherToEverySelector_ValuesSortedAndMatchedLiterally()
    {
        ClusterLabelInjector.NarrowTo("max_over_time(sum by(namespace) (foo{a='b'})[15m:]) * on(namespace) group_left bar", "namespace", ["ns-b", "ns.a", "ns-b"])
            .ShouldBe("max_over_time(sum by(namespace) (foo{a='b',namespace=~\"ns-b|ns\\\\.a\"})[15m:]) * on(namespace) group_left bar{namespace=~\"ns-b|ns\\\\.a\"}");
    }

    [Fact]
    public void NarrowTo_NoValue_Throws() =>
        Should.Throw<ArgumentException>(() => ClusterLabelInjector.NarrowTo("foo", "namespace", []));

    [Fact]
    public void Inject_OtherLabelName_UsesThatName()
    {
        ClusterLabelInjector.Inject("foo{a=\"b\"}", "cluster", ClusterId.Parse("prod-1.example.com"))
            .ShouldBe("foo{a=\"b\",cluster=\"prod-1.example.com\"}");
    }

    [Fact]
    public void Inject_UuidClusterId_IsWrittenAsDoubleQuotedString()
    {
        ClusterLabelInjector.Inject("up", Label, ClusterId.Parse("0f9c7a2e-5b1d-4c8e-9a3f-1b2c3d4e5f60"))
            .ShouldBe("up{clusterID=\"0f9c7a2e-5b1d-4c8e-9a3f-1b2c3d4e5f60\"}");
    }

    [Theory]
    [InlineData("foo{clusterID=\"x\"}", 4)]
    [InlineData("foo{clusterID!=\"x\"}", 4)]
    [InlineData("foo{clusterID=~\".*\"}", 4)]
    [InlineData("rate(bar[5m]) + foo{a=\"b\", clusterID=\"x\"}", 27)]
    [InlineData("{\"clusterID\"=\"x\", __name__=\"foo\"}", 1)]
    [InlineData("foo{\"cluster\\x49D\"=\"x\"}", 4)]
    [InlineData("sum(rate(foo{clusterID=''}[5m]))", 13)]
    public void Inject_SelectorAlreadyMatchesLabel_Throws(string input, int offset)
    {
        var ex = Should.Throw<PromqlRewriteException>(() => ClusterLabelInjector.Inject(input, Label, ClusterId.Parse("c1")));

        ex.LabelName.ShouldBe(Label);
        ex.Offset.ShouldBe(offset);
        ex.Message.ShouldContain("\"clusterID\"");
        ex.Message.ShouldContain($"offset {offset}");
    }

    [Theory]
    [InlineData("a\"}or vector(1)#")]
    [InlineData("x\ny")]
    [InlineData("")]
    [InlineData("a{b}")]
    [InlineData("a\\b")]
    [InlineData("a b")]
    [InlineData("cl\u00fcster")]
    [InlineData("\U0001F600")]
    [InlineData("c1\"")]
    [InlineData("c1'")]
    [InlineData("c1`")]
    public void Inject_HostileClusterId_ThrowsNamingTheId(string clusterId)
    {
        var ex = Should.Throw<InvalidClusterIdException>(() => ClusterLabelInjector.Inject("foo", Label, ClusterId.Parse(clusterId)));

        ex.ClusterId.ShouldBe(clusterId);
        ex.Message.ShouldContain(PromqlStringsForTests.Display(clusterId));
        ex.Message.ShouldNotContain("\n");
    }

    [Fact]
    public void Inject_ClusterIdOf254Characters_Throws()
    {
        var id = new string('a', 254);

        var ex = Should.Throw<InvalidClusterIdException>(() => ClusterLabelInjector.Inject("foo", Label, ClusterId.Parse(id)));

        ex.Reason.ShouldBe("it is 254 characters long; the maximum is 253");
        ex.Message.ShouldContain("\"" + new string('a', 64) + "\"… (254 characters)");
    }

    [Fact]
    public void Inject_NullClusterId_Throws()
    {
        var ex = Should.Throw<InvalidClusterIdException>(() => ClusterLabelInjector.Inject("foo", Label, ClusterId.Parse(null!)));

        ex.ClusterId.ShouldBeNull();
        ex.Message.ShouldBe("Cluster id (null) is not valid: it is null");
    }

    [Fact]
    public void Inject_InvalidClusterIdAndInvalidExpression_ReportsTheClusterIdFirst()
    {
        Should.Throw<InvalidClusterIdException>(() => ClusterLabelInjector.Inject("foo{", Label, ClusterId.Parse("a\"b")));
    }

    [Theory]
    [InlineData("")]
    [InlineData("1abc")]
    [InlineData("cluster-id")]
    [InlineData("cluster id")]
    [InlineData("cluster.id")]
    [InlineData("a\"b")]
    [InlineData("clusterID=\"x\",a")]
    [InlineData("clusterID\n")]
    [InlineData("cl\u00fcster")]
    [InlineData("__name__")]
    [InlineData("__cluster")]
    public void Inject_HostileLabelName_Throws(string labelName)
    {
        var ex = Should.Throw<ArgumentException>(() => ClusterLabelInjector.Inject("foo", labelName, ClusterId.Parse("c1")));

        ex.ParamName.ShouldBe("labelName");
        ex.Message.ShouldContain(PromqlStringsForTests.Display(labelName));
        ex.Message.ShouldNotContain("\n");
    }

    [Fact]
    public void Inject_NullLabelName_Throws()
    {
        Should.Throw<ArgumentNullException>(() => ClusterLabelInjector.Inject("foo", null!, ClusterId.Parse("c1"))).ParamName.ShouldBe("labelName");
    }

    [Fact]
    public void Inject_NullExpression_Throws()
    {
        Should.Throw<ArgumentNullException>(() => ClusterLabelInjector.Inject(null!, Label, ClusterId.Parse("c1"))).ParamName.ShouldBe("expression");
    }

    [Theory]
    [InlineData("clusterID", true)]
    [InlineData("_x", true)]
    [InlineData("cluster_id2", true)]
    [InlineData("_", true)]
    [InlineData("__x", false)]
    [InlineData("9x", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void IsValidLabelName_Name_MatchesPrometheusLabelNameRule(string? name, bool expected)
    {
        ClusterLabelInjector.IsValidLabelName(name).ShouldBe(expected);
    }

    [Theory]
    [InlineData("foo{", 3)]
    [InlineData("sum(foo", 3)]
    [InlineData("{}", 0)]
    public void Inject_InvalidExpression_ThrowsSyntaxError(string input, int offset)
    {
        Should.Throw<PromqlSyntaxException>(() => ClusterLabelInjector.Inject(input, Label, ClusterId.Parse("c1"))).Offset.ShouldBe(offset);
    }
}
