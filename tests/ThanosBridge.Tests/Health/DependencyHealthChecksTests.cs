using Microsoft.Extensions.Logging.Testing;
using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ThanosBridge.Health;
using ThanosBridge.Hosting;
using ThanosBridge.TestSupport.Fakes;
using ThanosBridge.TestSupport.Logging;

namespace ThanosBridge.Tests.Health;

/// <summary>
/// The dependency checks as ASP.NET Core health checks, as AddBridgeHealthChecks registers them: a round is what the
/// framework's publisher runs (the checks tagged "dependency"), handed to <see cref="ReadinessPublisher"/>.
/// </summary>
public sealed class DependencyHealthChecksTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 8, 5, 12, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider time = new(Start);
    private readonly FakeLogger<ReadinessPublisher> logger = new();
    private ServiceProvider? provider;
    private ReadinessState state = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => provider?.Dispose();

    [Fact]
    public async Task RunChecksAsync_EveryProbePasses_ReadyWithOkChecks()
    {
        var sut = CreateSut(Probe("thanos", () => Task.CompletedTask), Probe("database", () => Task.CompletedTask));

        await sut(Ct);

        var snapshot = state.Snapshot();
        snapshot.Ready.ShouldBeTrue();
        snapshot.Checks.ShouldBe([
            new CheckResult("configuration", CheckStatus.Ok, null, Start),
            new CheckResult("thanos", CheckStatus.Ok, null, Start),
            new CheckResult("database", CheckStatus.Ok, null, Start),
        ]);
    }

    [Fact]
    public void Registered_ProbesNotRunYet_PendingAndUnready()
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

        await sut(Ct);

        var snapshot = state.Snapshot();
        snapshot.Ready.ShouldBeFalse();
        snapshot.Checks[1].ShouldBe(new CheckResult("thanos", CheckStatus.Failing,
            "HttpRequestException: Connection refused (https://<redacted>@thanos:9090/) with <redacted> again", Start, Start));
        snapshot.Checks[2].Status.ShouldBe(CheckStatus.Ok);
    }

    [Fact]
    public async Task PublishAsync_ConfigurationNotLoaded_Unready()
    {
        var fresh = new ReadinessState(time, ["thanos"]);
        var publisher = new ReadinessPublisher(fresh, new ThanosBridge.Health.HealthCheckOptions(), time, logger);
        var report = new HealthReport(
            new Dictionary<string, HealthReportEntry> { ["thanos"] = new(HealthStatus.Healthy, null, TimeSpan.Zero, null, null) },
            TimeSpan.Zero);

        await publisher.PublishAsync(report, Ct);

        fresh.IsReady.ShouldBeFalse();
        fresh.Get(ReadinessState.ConfigurationCheck).Status.ShouldBe(CheckStatus.Pending);
        fresh.MarkConfigurationLoaded();
        fresh.IsReady.ShouldBeTrue();
    }

    [Fact]
    public async Task RunChecksAsync_ProbeNeverAnswers_FailsWhenTheTimeoutElapses()
    {
        var sut = CreateSut(new DependencyProbe("kafka", ct => Task.Delay(Timeout.InfiniteTimeSpan, ct)));

        var round = sut(Ct);
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

        await sut(Ct);
        failing = true;
        time.Advance(TimeSpan.FromSeconds(30));
        await sut(Ct);
        time.Advance(TimeSpan.FromSeconds(30));
        await sut(Ct);
        state.Get("thanos").FailingSince.ShouldBe(Start.AddSeconds(30));
        failing = false;
        time.Advance(TimeSpan.FromSeconds(30));
        await sut(Ct);

        state.Get("thanos").ShouldBe(new CheckResult("thanos", CheckStatus.Ok, null, Start.AddSeconds(90)));
        logger.Entries().Select(e => (e.EventId, e.Level, e.Message)).ShouldBe([
            (9105, LogLevel.Information, "checking dependencies thanos every 00:00:30 (timeout 00:00:10)"),
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
    public async Task Host_Started_ChecksAtOnceThroughThePublisherAndLogsTheSchedule()
    {
        var calls = Channel.CreateUnbounded<DateTimeOffset>();
        var published = new PublishedSignal();
        using var host = Host(published, new DependencyProbe("thanos", _ =>
        {
            calls.Writer.TryWrite(time.GetUtcNow());
            return Task.CompletedTask;
        }));

        await host.StartAsync(Ct);
        try
        {
            (await calls.Reader.ReadAsync(Ct)).ShouldBe(Start);
            // Registered after ReadinessPublisher, whose PublishAsync completes synchronously: once this one has the
            // round, ReadinessPublisher has handled it.
            await published.Round.Task.WaitAsync(Ct);
        }
        finally
        {
            await host.StopAsync(Ct);
        }

        var publisher = host.Services.GetRequiredService<IOptions<HealthCheckPublisherOptions>>().Value;
        publisher.Delay.ShouldBe(TimeSpan.Zero);
        publisher.Period.ShouldBe(TimeSpan.FromSeconds(30));
        host.Services.GetRequiredService<IEnumerable<IHealthCheckPublisher>>().OfType<ReadinessPublisher>().ShouldHaveSingleItem();
        host.Services.GetRequiredService<ReadinessState>().Get("thanos").Status.ShouldBe(CheckStatus.Ok);
        logger.Entries().ShouldContain(e => e.EventId == 9105 && e.Message == "checking dependencies thanos every 00:00:30 (timeout 00:00:10)");
    }

    [Fact]
    public async Task Host_StoppedWithAProbeInFlight_CancelsItWithoutRecordingAFailure()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var host = Host(new DependencyProbe("database", async ct =>
        {
            started.TrySetResult();
            await Task.Delay(Timeout.InfiniteTimeSpan, ct);
        }));

        await host.StartAsync(Ct);
        await started.Task.WaitAsync(Ct);
        await host.StopAsync(Ct);

        host.Services.GetRequiredService<ReadinessState>().Get("database").Status.ShouldBe(CheckStatus.Pending);
    }

    [Fact]
    public void AddBridgeHealthChecks_IntervalUnderOneSecond_Throws() =>
        Should.Throw<ArgumentOutOfRangeException>(() => new ServiceCollection().AddBridgeHealthChecks(
            _ => [], options: new ThanosBridge.Health.HealthCheckOptions { Interval = TimeSpan.FromMilliseconds(500) }));

    [Fact]
    public async Task ReadinessCheck_AnswersFromTheCacheWithoutRunningAProbe()
    {
        var probeRuns = 0;
        _ = CreateSut(Probe("thanos", () =>
        {
            probeRuns++;
            return Task.CompletedTask;
        }));
        var checks = provider!.GetRequiredService<HealthCheckService>();

        var report = await checks.CheckHealthAsync(r => r.Tags.Contains(ReadinessHealthCheck.Tag), Ct);

        report.Status.ShouldBe(HealthStatus.Unhealthy);
        report.Entries.Keys.ShouldBe([ReadinessHealthCheck.Name]);
        probeRuns.ShouldBe(0);
    }

    private Func<CancellationToken, Task> CreateSut(params DependencyProbe[] probes) => CreateSut([], probes);

    /// <summary>Registers the checks as the host does and returns one round: run the dependency checks, publish them.</summary>
    private Func<CancellationToken, Task> CreateSut(string[] secrets, params DependencyProbe[] probes)
    {
        provider = Services(secrets, probes).BuildServiceProvider();
        state = provider.GetRequiredService<ReadinessState>();
        var checks = provider.GetRequiredService<HealthCheckService>();
        var publisher = provider.GetRequiredService<ReadinessPublisher>();
        return async ct => await publisher.PublishAsync(await checks.CheckHealthAsync(r => r.Tags.Contains(DependencyHealthCheck.Tag), ct), ct);
    }

    private IHost Host(params DependencyProbe[] probes) => Host(null, probes);

    private IHost Host(IHealthCheckPublisher? extraPublisher, params DependencyProbe[] probes)
    {
        var builder = new HostBuilder().ConfigureServices(services =>
        {
            foreach (var service in Services([], probes))
            {
                services.Add(service);
            }

            if (extraPublisher is not null)
            {
                services.AddSingleton(extraPublisher);
            }
        });
        return builder.Build();
    }

    /// <summary>A second publisher that completes <see cref="Round"/> with the first round it receives.</summary>
    private sealed class PublishedSignal : IHealthCheckPublisher
    {
        public TaskCompletionSource Round { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task PublishAsync(HealthReport report, CancellationToken cancellationToken)
        {
            Round.TrySetResult();
            return Task.CompletedTask;
        }
    }

    private ServiceCollection Services(string[] secrets, DependencyProbe[] probes)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(time);
        services.AddSingleton<ILogger<ReadinessPublisher>>(logger);
        services.AddBridgeHealthChecks(_ => probes, _ => secrets);
        return services;
    }

    private static DependencyProbe Probe(string name, Func<Task> check) => new(name, _ => check());
}
