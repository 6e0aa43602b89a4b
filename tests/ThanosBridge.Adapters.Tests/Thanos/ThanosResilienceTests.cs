using ThanosBridge.Adapters.Thanos;

namespace ThanosBridge.Adapters.Tests.Thanos;

public class ThanosResilienceTests
{
    private static readonly TimeSpan Base = TimeSpan.FromSeconds(2);

    [Theory]
    [InlineData(0, 0.5, 2)]
    [InlineData(1, 0.5, 4)]
    [InlineData(2, 0.5, 8)]
    [InlineData(0, 0.0, 1.6)]
    [InlineData(2, 1.0, 9.6)]
    public void RetryDelay_NoRetryAfter_IsExponentialWithBoundedJitter(int attempt, double random, double expectedSeconds)
    {
        ThanosResilience.RetryDelay(Base, attempt, null, random).TotalSeconds.ShouldBe(expectedSeconds, tolerance: 1e-6);
    }

    [Theory]
    [InlineData(10, 10)]
    [InlineData(1, 2)]
    [InlineData(3600, 60)]
    public void RetryDelay_RetryAfter_UsedWhenLongerAndCappedAtOneMinute(int retryAfterSeconds, double expectedSeconds)
    {
        ThanosResilience.RetryDelay(Base, 0, TimeSpan.FromSeconds(retryAfterSeconds), 0.5).ShouldBe(TimeSpan.FromSeconds(expectedSeconds));
    }

    [Fact]
    public void IsTransient_Classification_FollowsThePrometheusTaxonomy()
    {
        ThanosResilience.IsTransient(new IOException("reset")).ShouldBeTrue();
        ThanosResilience.IsTransient(new HttpRequestException("refused")).ShouldBeTrue();
        ThanosResilience.IsTransient(new Polly.Timeout.TimeoutRejectedException()).ShouldBeTrue();
        ThanosResilience.IsTransient(new HttpRequestException("tls", new System.Security.Authentication.AuthenticationException())).ShouldBeFalse();
        ThanosResilience.IsTransient(new OperationCanceledException()).ShouldBeFalse();
        ThanosResilience.IsTransient(Attempt(ThanosFailureReason.ServerError)).ShouldBeTrue();
        ThanosResilience.IsTransient(Attempt(ThanosFailureReason.TooManyRequests)).ShouldBeTrue();
        ThanosResilience.IsTransient(Attempt(ThanosFailureReason.BadData)).ShouldBeFalse();
        ThanosResilience.IsTransient(Attempt(ThanosFailureReason.ClientError)).ShouldBeFalse();
        ThanosResilience.IsTransient(Attempt(ThanosFailureReason.BadResponse)).ShouldBeFalse();
    }

    private static ThanosAttemptException Attempt(ThanosFailureReason reason) => new(reason, null, null, "x");
}
