using ThanosBridge.Core.Collection.Promql;

namespace ThanosBridge.Core.Tests.Collection.Promql;

public class ClusterIdValidatorTests
{
    private const string Allowed = "only A-Z, a-z, 0-9, '.', '_', ':' and '-' are allowed";

    [Theory]
    [InlineData("c1")]
    [InlineData("local-cluster")]
    [InlineData("prod-1.example.com")]
    [InlineData("0f9c7a2e-5b1d-4c8e-9a3f-1b2c3d4e5f60")]
    [InlineData("a:b_c.D-9")]
    [InlineData("x")]
    public void IsValid_AllowedId_ReturnsTrueWithEmptyReason(string id)
    {
        ClusterIdValidator.IsValid(id, out var reason).ShouldBeTrue();
        reason.ShouldBeEmpty();
    }

    [Fact]
    public void IsValid_253Characters_ReturnsTrue()
    {
        ClusterIdValidator.IsValid(new string('z', 253), out _).ShouldBeTrue();
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
    public void IsValid_RejectedId_ReturnsFalseWithReason(string? id, string expectedReason)
    {
        ClusterIdValidator.IsValid(id, out var reason).ShouldBeFalse();
        reason.ShouldBe(expectedReason);
    }

    [Fact]
    public void IsValid_LoneSurrogate_ReturnsFalse()
    {
        ClusterIdValidator.IsValid("a\uDC00", out var reason).ShouldBeFalse();
        reason.ShouldStartWith("it contains U+FFFD at index 1");
    }

    [Fact]
    public void IsValid_254Characters_ReturnsFalse()
    {
        ClusterIdValidator.IsValid(new string('z', 254), out var reason).ShouldBeFalse();
        reason.ShouldBe("it is 254 characters long; the maximum is 253");
    }

    [Fact]
    public void EnsureValid_ValidId_DoesNotThrow()
    {
        Should.NotThrow(() => ClusterIdValidator.EnsureValid("c1"));
    }

    [Fact]
    public void EnsureValid_InjectionAttempt_MessageShowsIdEscaped()
    {
        var ex = Should.Throw<InvalidClusterIdException>(() => ClusterIdValidator.EnsureValid("a\"}or vector(1)#"));

        ex.Message.ShouldBe("Cluster id \"a\\\"}or vector(1)#\" is not valid: it contains '\"' (U+0022) at index 1; " + Allowed);
        ex.ClusterId.ShouldBe("a\"}or vector(1)#");
    }

    [Fact]
    public void EnsureValid_Newline_MessageStaysOnOneLine()
    {
        var ex = Should.Throw<InvalidClusterIdException>(() => ClusterIdValidator.EnsureValid("x\ny"));

        ex.Message.ShouldBe("Cluster id \"x\\ny\" is not valid: it contains U+000A at index 1; " + Allowed);
    }

    [Fact]
    public void EnsureValid_TenKilobyteId_MessageIsTruncated()
    {
        var id = new string('a', 10_000) + "\n";

        var ex = Should.Throw<InvalidClusterIdException>(() => ClusterIdValidator.EnsureValid(id));

        ex.Message.ShouldBe($"Cluster id \"{new string('a', 64)}\"… (10001 characters) is not valid: it is 10001 characters long; the maximum is 253");
        ex.ClusterId.ShouldBe(id);
    }

    [Fact]
    public void EnsureValid_NonAscii_MessageEscapesIt()
    {
        var ex = Should.Throw<InvalidClusterIdException>(() => ClusterIdValidator.EnsureValid("cl\u00fcster\u202e"));

        ex.Message.ShouldStartWith("Cluster id \"cl\\u00FCster\\u202E\" is not valid: ");
    }
}
