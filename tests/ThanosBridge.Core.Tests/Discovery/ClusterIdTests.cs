using ThanosBridge.Core.Discovery;

namespace ThanosBridge.Core.Tests.Discovery;

public class ClusterIdTests
{
    private const string Allowed = "only A-Z, a-z, 0-9, '.', '_', ':' and '-' are allowed";

    [Theory]
    [InlineData("c1")]
    [InlineData("local-cluster")]
    [InlineData("prod-1.example.com")]
    [InlineData("0f9c7a2e-5b1d-4c8e-9a3f-1b2c3d4e5f60")]
    [InlineData("a:b_c.D-9")]
    [InlineData("x")]
    public void TryParse_AllowedId_ReturnsTrueWithEmptyReason(string id)
    {
        ClusterId.TryParse(id, out _, out var reason).ShouldBeTrue();
        reason.ShouldBeEmpty();
    }

    [Fact]
    public void TryParse_253Characters_ReturnsTrue()
    {
        ClusterId.TryParse(new string('z', 253), out _, out _).ShouldBeTrue();
    }

    [Theory]
    [InlineData(null, "it is null")]
    [InlineData("", "it is empty")]
    [InlineData("a\"}or vector(1)#", "it contains '\"' (U+0022) at index 1; " + Allowed)]
    [InlineData("x\ny", "it contains U+000A at index 1; " + Allowed)]
    [InlineData("a{b}", "it contains '{' (U+007B) at index 1; " + Allowed)]
    [InlineData("a\\b", "it contains '\\' (U+005C) at index 1; " + Allowed)]
    [InlineData(" a", "it contains U+0020 at index 0; " + Allowed)]
    [InlineData("a\tb", "it contains U+0009 at index 1; " + Allowed)]
    [InlineData("cl\u00fcster", "it contains U+00FC at index 2; " + Allowed)]
    [InlineData("a\U0001F600", "it contains U+1F600 at index 1; " + Allowed)]
    [InlineData("a\0", "it contains U+0000 at index 1; " + Allowed)]
    [InlineData("a/b", "it contains '/' (U+002F) at index 1; " + Allowed)]
    [InlineData("a=b", "it contains '=' (U+003D) at index 1; " + Allowed)]
    [InlineData(".", "it is a relative path component")]
    [InlineData("..", "it contains '..', which koku refuses in a cluster id (koku-ingestion.md §1.6)")]
    [InlineData("a..b", "it contains '..', which koku refuses in a cluster id (koku-ingestion.md §1.6)")]
    [InlineData("../escape", "it contains '..', which koku refuses in a cluster id (koku-ingestion.md §1.6)")]
    public void TryParse_RejectedId_ReturnsFalseWithReason(string? id, string expectedReason)
    {
        ClusterId.TryParse(id, out _, out var reason).ShouldBeFalse();
        reason.ShouldBe(expectedReason);
    }

    [Fact]
    public void TryParse_LoneSurrogate_ReturnsFalse()
    {
        ClusterId.TryParse("a\uDC00", out _, out var reason).ShouldBeFalse();
        reason.ShouldStartWith("it contains U+FFFD at index 1");
    }

    [Fact]
    public void TryParse_254Characters_ReturnsFalse()
    {
        ClusterId.TryParse(new string('z', 254), out _, out var reason).ShouldBeFalse();
        reason.ShouldBe("it is 254 characters long; the maximum is 253");
    }

    [Fact]
    public void Parse_ValidId_KeepsTheTextAndComparesByValue()
    {
        var id = ClusterId.Parse("c1");

        id.Value.ShouldBe("c1");
        id.ToString().ShouldBe("c1");
        id.ShouldBe(ClusterId.Parse("c1"));
        (id == ClusterId.Parse("c1")).ShouldBeTrue();
        id.GetHashCode().ShouldBe(ClusterId.Parse("c1").GetHashCode());
        (id == ClusterId.Parse("C1")).ShouldBeFalse();
    }

    [Fact]
    public void Parse_InjectionAttempt_MessageShowsIdEscaped()
    {
        var ex = Should.Throw<InvalidClusterIdException>(() => ClusterId.Parse("a\"}or vector(1)#"));

        ex.Message.ShouldBe("Cluster id \"a\\\"}or vector(1)#\" is not valid: it contains '\"' (U+0022) at index 1; " + Allowed);
        ex.ClusterId.ShouldBe("a\"}or vector(1)#");
    }

    [Fact]
    public void Parse_Newline_MessageStaysOnOneLine()
    {
        var ex = Should.Throw<InvalidClusterIdException>(() => ClusterId.Parse("x\ny"));

        ex.Message.ShouldBe("Cluster id \"x\\ny\" is not valid: it contains U+000A at index 1; " + Allowed);
    }

    [Fact]
    public void Parse_TenKilobyteId_MessageIsTruncated()
    {
        var id = new string('a', 10_000) + "\n";

        var ex = Should.Throw<InvalidClusterIdException>(() => ClusterId.Parse(id));

        ex.Message.ShouldBe($"Cluster id \"{new string('a', 64)}\"… (10001 characters) is not valid: it is 10001 characters long; the maximum is 253");
        ex.ClusterId.ShouldBe(id);
    }

    [Fact]
    public void Parse_NonAscii_MessageEscapesIt()
    {
        var ex = Should.Throw<InvalidClusterIdException>(() => ClusterId.Parse("cl\u00fcster\u202e"));

        ex.Message.ShouldStartWith("Cluster id \"cl\\u00FCster\\u202E\" is not valid: ");
    }

    [Fact]
    public void Json_WritesAStringAndAPropertyName_AndReadsThemBackThroughTheSameRule()
    {
        var id = ClusterId.Parse("c1");

        System.Text.Json.JsonSerializer.Serialize(new Dictionary<ClusterId, ClusterId> { [id] = id }).ShouldBe("{\"c1\":\"c1\"}");
        System.Text.Json.JsonSerializer.Deserialize<ClusterId>("\"c1\"").ShouldBe(id);
        Should.Throw<InvalidClusterIdException>(() => System.Text.Json.JsonSerializer.Deserialize<ClusterId>("\"a/b\""));
    }
}
