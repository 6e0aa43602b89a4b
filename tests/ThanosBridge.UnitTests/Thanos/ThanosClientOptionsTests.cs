using ThanosBridge.Adapters.Thanos;

namespace ThanosBridge.UnitTests.Thanos;

public class ThanosClientOptionsTests
{
    private static ThanosClientOptions Valid() => new() { BaseUrl = new Uri("https://thanos-querier.openshift-monitoring.svc:9091") };

    [Fact]
    public void Defaults_AreCmmosValues()
    {
        var options = new ThanosClientOptions();

        options.QueryTimeout.ShouldBe(TimeSpan.FromSeconds(120));
        options.MaxRetries.ShouldBe(3);
        options.RetryBaseDelay.ShouldBe(TimeSpan.FromSeconds(2));
        options.FailOnWarnings.ShouldBeTrue();
        options.InsecureSkipVerify.ShouldBeFalse();
    }

    [Fact]
    public void Validators_ValidOptions_Succeed()
    {
        new ThanosClientOptionsValidator().Validate(null, Valid()).Succeeded.ShouldBeTrue();
        new ThanosClientOptionsCrossFieldValidator().Validate(null, Valid()).Succeeded.ShouldBeTrue();
    }

    [Fact]
    public void Validator_MissingBaseUrlAndOutOfRangeValues_FailsNamingEach()
    {
        var options = new ThanosClientOptions { MaxRetries = 11, QueryTimeout = TimeSpan.Zero };

        var result = new ThanosClientOptionsValidator().Validate(null, options);

        result.Failed.ShouldBeTrue();
        result.FailureMessage.ShouldContain(nameof(ThanosClientOptions.BaseUrl));
        result.FailureMessage.ShouldContain(nameof(ThanosClientOptions.MaxRetries));
        result.FailureMessage.ShouldContain(nameof(ThanosClientOptions.QueryTimeout));
    }

    [Theory]
    [InlineData("ftp://thanos/", "Thanos:BaseUrl (Thanos__BaseUrl)")]
    [InlineData("both-tokens", "Thanos:BearerTokenFile (Thanos__BearerTokenFile)")]
    [InlineData("ca-and-insecure", "Thanos:InsecureSkipVerify (Thanos__InsecureSkipVerify)")]
    public void CrossFieldValidator_Conflicts_FailNamingTheKeys(string conflict, string expectedKey)
    {
        var options = Valid();
        switch (conflict)
        {
            case "both-tokens":
                (options.BearerToken, options.BearerTokenFile) = ("t", "/var/run/secrets/token");
                break;
            case "ca-and-insecure":
                (options.CaFile, options.InsecureSkipVerify) = ("/etc/ca.crt", true);
                break;
            default:
                options.BaseUrl = new Uri(conflict);
                break;
        }

        var result = new ThanosClientOptionsCrossFieldValidator().Validate(null, options);

        result.Failed.ShouldBeTrue();
        result.FailureMessage.ShouldContain(expectedKey);
    }
}
