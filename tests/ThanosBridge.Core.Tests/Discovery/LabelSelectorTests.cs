using ThanosBridge.Core.Discovery;

namespace ThanosBridge.Core.Tests.Discovery;

/// <summary>THANOS_BRIDGE_AUTO_REGISTER_SELECTOR is checked as the API server would parse it.</summary>
public sealed class LabelSelectorTests
{
    [Theory]
    [InlineData("cost-management=true")]
    [InlineData("cost-management==true")]
    [InlineData("cost-management!=false")]
    [InlineData("cost-management")]
    [InlineData("!cost-management.example.com/opt-out")]
    [InlineData("environment in (production, qa),tier notin (frontend)")]
    [InlineData("vendor=OpenShift,cluster.open-cluster-management.io/clusterset=default")]
    [InlineData("cost=")]
    [InlineData("replicas>3")]
    [InlineData(" a = b , c ")]
    public void IsValid_SelectorsTheApiServerAccepts_AreValid(string selector)
    {
        LabelSelector.IsValid(selector, out var reason).ShouldBeTrue(reason);
        reason.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("a=b,", "empty requirement")]
    [InlineData(",a=b", "empty requirement")]
    [InlineData("a=b c", "value \"b c\"")]
    [InlineData("-bad=x", "label key \"-bad\"")]
    [InlineData("Bad_Prefix.com/x=y", "prefix that is not a DNS subdomain")]
    [InlineData("a=-x", "value \"-x\"")]
    [InlineData("env in production", "is not key")]
    [InlineData("env in (a,b c)", "value \"b c\"")]
    [InlineData("a>b", "not an integer")]
    [InlineData("a=b=c", "is not key")]
    public void IsValid_Malformed_IsInvalid_WithAReasonNamingThePart(string selector, string expected)
    {
        LabelSelector.IsValid(selector, out var reason).ShouldBeFalse();
        reason.ShouldContain(expected);
    }

    [Fact]
    public void IsValid_KeyNameOf64Characters_IsInvalid()
    {
        LabelSelector.IsValid(new string('k', 64) + "=v", out var reason).ShouldBeFalse();
        LabelSelector.IsValid(new string('k', 63) + "=v", out _).ShouldBeTrue(reason);
    }
}
