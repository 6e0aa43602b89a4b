using ThanosBridge.TestSupport.Fakes;

namespace ThanosBridge.Adapters.Tests.Thanos;

/// <summary>The hand-written test clock the retry and timeout tests rely on.</summary>
public class FakeTimeProviderTests
{
    private static readonly DateTimeOffset Origin = new(2026, 8, 5, 12, 0, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void Advance_MovesUtcNowAndTimestampTogether()
    {
        var time = new FakeTimeProvider(Origin);
        var before = time.GetTimestamp();

        time.Advance(TimeSpan.FromSeconds(90));

        time.GetUtcNow().ShouldBe(Origin.AddSeconds(90));
        time.GetElapsedTime(before).ShouldBe(TimeSpan.FromSeconds(90));
        time.LocalTimeZone.ShouldBe(TimeZoneInfo.Utc);
    }

    [Fact]
    public void Advance_FiresDueTimersInDueOrderAtTheirDueTime()
    {
        var time = new FakeTimeProvider(Origin);
        var fired = new List<(string Name, DateTimeOffset At)>();
        using var late = time.CreateTimer(_ => fired.Add(("late", time.GetUtcNow())), null, TimeSpan.FromSeconds(5), Timeout.InfiniteTimeSpan);
        using var early = time.CreateTimer(_ => fired.Add(("early", time.GetUtcNow())), null, TimeSpan.FromSeconds(2), Timeout.InfiniteTimeSpan);
        using var never = time.CreateTimer(_ => fired.Add(("never", time.GetUtcNow())), null, TimeSpan.FromSeconds(60), Timeout.InfiniteTimeSpan);

        time.Advance(TimeSpan.FromSeconds(10));

        fired.ShouldBe([("early", Origin.AddSeconds(2)), ("late", Origin.AddSeconds(5))]);
        time.GetUtcNow().ShouldBe(Origin.AddSeconds(10));
        time.PendingTimerCount.ShouldBe(1);
    }

    [Fact]
    public void Advance_PeriodicTimer_FiresOncePerPeriod()
    {
        var time = new FakeTimeProvider(Origin);
        var count = 0;
        using var timer = time.CreateTimer(_ => count++, null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3));

        time.Advance(TimeSpan.FromSeconds(10));

        count.ShouldBe(4); // at 1, 4, 7 and 10 s
    }

    [Fact]
    public void Change_And_Dispose_RearmAndDisarm()
    {
        var time = new FakeTimeProvider(Origin);
        var count = 0;
        var timer = time.CreateTimer(_ => count++, null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);

        timer.Change(TimeSpan.FromSeconds(5), Timeout.InfiniteTimeSpan).ShouldBeTrue();
        time.Advance(TimeSpan.FromSeconds(4));
        count.ShouldBe(0);
        time.Advance(TimeSpan.FromSeconds(1));
        count.ShouldBe(1);
        timer.Change(TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);
        timer.Dispose();
        time.Advance(TimeSpan.FromSeconds(5));

        count.ShouldBe(1);
        time.ArmedDueTimes.ShouldBe([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1)]);
    }

    [Fact]
    public async Task Delay_OnTheFakeClock_CompletesOnlyWhenAdvancedPastIt()
    {
        var time = new FakeTimeProvider(Origin);

        var delay = Task.Delay(TimeSpan.FromSeconds(30), time, Ct);
        time.Advance(TimeSpan.FromSeconds(29));
        delay.IsCompleted.ShouldBeFalse();
        time.Advance(TimeSpan.FromSeconds(1));

        await delay.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        delay.IsCompletedSuccessfully.ShouldBeTrue();
    }

    [Fact]
    public async Task CancellationTokenSource_OnTheFakeClock_CancelsWhenAdvanced()
    {
        var time = new FakeTimeProvider(Origin);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(120), time);

        var armed = await time.WaitForTimerAsync(d => d == TimeSpan.FromSeconds(120), Ct);
        cts.IsCancellationRequested.ShouldBeFalse();
        time.Advance(armed);

        cts.IsCancellationRequested.ShouldBeTrue();
    }

    [Fact]
    public async Task WaitForTimerAsync_TimerArmedLater_CompletesWithItsDueTime()
    {
        var time = new FakeTimeProvider(Origin);

        var wait = time.WaitForTimerAsync(d => d < TimeSpan.FromMinutes(1), Ct);
        using var ignored = time.CreateTimer(_ => { }, null, TimeSpan.FromMinutes(2), Timeout.InfiniteTimeSpan);
        wait.IsCompleted.ShouldBeFalse();
        using var matching = time.CreateTimer(_ => { }, null, TimeSpan.FromSeconds(4), Timeout.InfiniteTimeSpan);

        (await wait.WaitAsync(TimeSpan.FromSeconds(10), Ct)).ShouldBe(TimeSpan.FromSeconds(4));
    }

    [Fact]
    public void SetUtcNow_Backwards_Throws()
    {
        var time = new FakeTimeProvider(Origin);

        Should.Throw<ArgumentOutOfRangeException>(() => time.SetUtcNow(Origin.AddSeconds(-1)));
    }
}
