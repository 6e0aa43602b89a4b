using ThanosBridge.TestSupport.Logging;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using ThanosBridge.Health;
using ThanosBridge.TestSupport.Fakes;

namespace ThanosBridge.UnitTests.Hosting;

public class DependencyHealthServiceTests
{
    private static readonly DateTimeOffset Start = new(2026, 8, 5, 12, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider time = new(Start);
    private readonly RecordingLogger<DependencyHealthService> logger = new();
    private readonly ReadinessState state;

    public DependencyHealthServiceTests()
    {
        state = new ReadinessState(time, []);
        state.MarkConfigurationLoaded();
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RunChecksAsync_EveryProbePasses_ReadyWithOkChecks()
    {
        var sut = CreateSut(Probe("thanos", () => Task.CompletedTask), Probe("database", () => Task.CompletedTask));

        await sut.RunChecksAsync(Ct);

        var snapshot = state.Snapshot();
        snapshot.Ready.ShouldBeTrue();
        snapshot.Checks.ShouldBe([
            new CheckResult("configuration", CheckStatus.Ok, null, Start),
            new CheckResult("thanos", CheckStatus.Ok, null, Start),
            new CheckResult("database", CheckStatus.Ok, null, Start),
        ]);
    }

    [Fact]
    public void Constructor_ProbesNotRunYet_PendingAndUnready()
    {
        _ = CreateSut(Probe("thanos", () => Task.CompletedTask));

        var snapshot = state.Snapshot();
        snapshot.Ready.ShouldBeFalse();
        snapshot.Checks[1].ShouldBe(new CheckResult("thanos", CheckStatus.Pending, null, null));
    }

    [Fact]
    public async Task RunChecksAsync_OneProbeThrows_FailingWithRedactedErrorAndUnready()
    {
        var sut = CreateSut(
            ["s3cr3t-token"],
            Probe("thanos", () => throw new HttpRequestException("Connection refused (https://bridge:pw@thanos:9090/) with s3cr3t-token\nagain")),
            Probe("database", () => Task.CompletedTask));

        await sut.RunChecksAsync(Ct);

        var snapshot = state.Snapshot();
        snapshot.Ready.ShouldBeFalse();
        snapshot.Checks[1].ShouldBe(new CheckResult("thanos", CheckStatus.Failing,
            "HttpRequestException: Connection refused (https://<redacted>@thanos:9090/) with <redacted> again", Start, Start));
        snapshot.Checks[2].Status.ShouldBe(CheckStatus.Ok);
    }

    [Fact]
    public async Task RunChecksAsync_ConfigurationNotLoaded_Unready()
    {
        var fresh = new ReadinessState(time, []);
        var sut = new DependencyHealthService(fresh, [Probe("thanos", () => Task.CompletedTask)], [], new HealthCheckOptions(), time, logger);

        await sut.RunChecksAsync(Ct);

        fresh.IsReady.ShouldBeFalse();
        fresh.Get(ReadinessState.ConfigurationCheck).Status.ShouldBe(CheckStatus.Pending);
        fresh.MarkConfigurationLoaded();
        fresh.IsReady.ShouldBeTrue();
    }

    [Fact]
    public async Task RunChecksAsync_ProbeNeverAnswers_FailsWhenTheTimeoutElapses()
    {
        var sut = CreateSut(new DependencyProbe("kafka", ct => Task.Delay(Timeout.InfiniteTimeSpan, ct)));

        var round = sut.RunChecksAsync(Ct);
        await time.WaitForTimerAsync(d => d == TimeSpan.FromSeconds(10), Ct);
        time.Advance(TimeSpan.FromSeconds(10));
        await round;

        state.Get("kafka").ShouldBe(new CheckResult("kafka", CheckStatus.Failing, "no answer within 10 s", Start.AddSeconds(10), Start.AddSeconds(10)));
    }

    [Fact]
    public async Task RunChecksAsync_PassFailFailPass_LogsEachTransitionOnce()
    {
        var failing = false;
        var sut = CreateSut(Probe("thanos", () => failing ? throw new InvalidOperationException("down") : Task.CompletedTask));

        await sut.RunChecksAsync(Ct);
        failing = true;
        time.Advance(TimeSpan.FromSeconds(30));
        await sut.RunChecksAsync(Ct);
        time.Advance(TimeSpan.FromSeconds(30));
        await sut.RunChecksAsync(Ct);
        state.Get("thanos").FailingSince.ShouldBe(Start.AddSeconds(30));
        failing = false;
        time.Advance(TimeSpan.FromSeconds(30));
        await sut.RunChecksAsync(Ct);

        state.Get("thanos").ShouldBe(new CheckResult("thanos", CheckStatus.Ok, null, Start.AddSeconds(90)));
        logger.Entries.Select(e => (e.EventId, e.Level, e.Message)).ShouldBe([
            (9103, LogLevel.Information, "dependency thanos check passed"),
            (9104, LogLevel.Information, "readiness changed to ready"),
            (9100, LogLevel.Warning, "dependency thanos check failed: InvalidOperationException: down; /readyz answers 503 until it passes"),
            (9104, LogLevel.Information, "readiness changed to unready"),
            (9101, LogLevel.Debug, "dependency thanos check still failing since 08/05/2026 12:00:30 +00:00: InvalidOperationException: down"),
            (9102, LogLevel.Information, "dependency thanos check passed again after failing for 00:01:00"),
            (9104, LogLevel.Information, "readiness changed to ready"),
        ]);
    }

    [Fact]
    public async Task ExecuteAsync_Started_ChecksAtOnceAndThenEveryInterval()
    {
        var calls = Channel.CreateUnbounded<DateTimeOffset>();
        var sut = CreateSut(Probe("thanos", () =>
        {
            calls.Writer.TryWrite(time.GetUtcNow());
            return Task.CompletedTask;
        }));

        await sut.StartAsync(Ct);
        try
        {
            (await calls.Reader.ReadAsync(Ct)).ShouldBe(Start);
            await time.WaitForTimerAsync(d => d == TimeSpan.FromSeconds(30), Ct);
            calls.Reader.TryRead(out _).ShouldBeFalse();

            time.Advance(TimeSpan.FromSeconds(30));
            (await calls.Reader.ReadAsync(Ct)).ShouldBe(Start.AddSeconds(30));
            time.Advance(TimeSpan.FromSeconds(30));
            (await calls.Reader.ReadAsync(Ct)).ShouldBe(Start.AddSeconds(60));
        }
        finally
        {
            await sut.StopAsync(Ct);
        }

        logger.Entries.ShouldContain(e => e.EventId == 9105 && e.Message == "checking dependencies thanos every 00:00:30 (timeout 00:00:10)");
    }

    [Fact]
    public async Task StopAsync_ProbeInFlight_CancelsItWithoutRecordingAFailure()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var sut = CreateSut(new DependencyProbe("database", async ct =>
        {
            started.TrySetResult();
            await Task.Delay(Timeout.InfiniteTimeSpan, ct);
        }));

        await sut.StartAsync(Ct);
        await started.Task.WaitAsync(Ct);
        await sut.StopAsync(Ct);

        state.Get("database").Status.ShouldBe(CheckStatus.Pending);
    }

    [Fact]
    public void Constructor_NonPositiveInterval_Throws() =>
        Should.Throw<ArgumentOutOfRangeException>(() =>
            new DependencyHealthService(state, [], [], new HealthCheckOptions { Interval = TimeSpan.Zero }, time, logger));

    private DependencyHealthService CreateSut(params DependencyProbe[] probes) => CreateSut([], probes);

    private DependencyHealthService CreateSut(string[] secrets, params DependencyProbe[] probes) =>
        new(state, probes, secrets, new HealthCheckOptions(), time, logger);

    private static DependencyProbe Probe(string name, Func<Task> check) => new(name, _ => check());
}
