using ThanosBridge.Adapters.Thanos;

namespace ThanosBridge.Adapters.Tests.Thanos;

public class ThanosClientOptionsTests
{
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
}
