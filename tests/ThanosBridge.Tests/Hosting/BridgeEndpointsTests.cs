using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ThanosBridge.Configuration;
using ThanosBridge.Health;
using ThanosBridge.Hosting;
using ThanosBridge.TestSupport;
using ThanosBridge.Tests.Configuration;
using ThanosBridge.TestSupport.Fakes;

namespace ThanosBridge.Tests.Hosting;

/// <summary>The management endpoints through a real Kestrel on loopback.</summary>
public sealed class BridgeEndpointsTests : IAsyncDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 8, 5, 12, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider time = new(Start);
    private readonly HttpClient http = new();
    private WebApplication? app;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask DisposeAsync()
    {
        http.Dispose();
        if (app is not null)
        {
            await app.StopAsync(CancellationToken.None);
            await app.DisposeAsync();
        }
    }

    [Fact]
    public async Task Healthz_Always_Answers200Ok()
    {
        var (health, _, _) = await StartAsync();

        using var response = await http.GetAsync(new Uri(health, "/healthz"), Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/plain");
        (await response.Content.ReadAsStringAsync(Ct)).ShouldBe("ok");
    }

    [Fact]
    public async Task Readyz_ChecksPending_Answers503WithPendingChecks()
    {
        var (health, _, _) = await StartAsync();

        using var response = await http.GetAsync(new Uri(health, "/readyz"), Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
        (await response.Content.ReadAsStringAsync(Ct)).ShouldBe(
            "{\"status\":\"unready\",\"checks\":[" +
            "{\"name\":\"configuration\",\"status\":\"ok\",\"error\":null,\"checked_at\":\"2026-08-05T12:00:00.000Z\"}," +
            "{\"name\":\"thanos\",\"status\":\"pending\",\"error\":null,\"checked_at\":null}," +
            "{\"name\":\"database\",\"status\":\"pending\",\"error\":null,\"checked_at\":null}]}");
    }

    [Fact]
    public async Task Readyz_OneCheckFailing_Answers503WithTheError()
    {
        var (health, _, state) = await StartAsync();
        state.RecordSuccess("thanos");
        time.Advance(TimeSpan.FromSeconds(1.5));
        state.RecordFailure("database", "NpgsqlException: Failed to connect to 127.0.0.1:5432 \"quoted\"");

        using var response = await http.GetAsync(new Uri(health, "/readyz"), Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        (await response.Content.ReadAsStringAsync(Ct)).ShouldBe(
            "{\"status\":\"unready\",\"checks\":[" +
            "{\"name\":\"configuration\",\"status\":\"ok\",\"error\":null,\"checked_at\":\"2026-08-05T12:00:00.000Z\"}," +
            "{\"name\":\"thanos\",\"status\":\"ok\",\"error\":null,\"checked_at\":\"2026-08-05T12:00:00.000Z\"}," +
            "{\"name\":\"database\",\"status\":\"failing\",\"error\":\"NpgsqlException: Failed to connect to 127.0.0.1:5432 \\u0022quoted\\u0022\",\"checked_at\":\"2026-08-05T12:00:01.500Z\"}]}");
    }

    [Fact]
    public async Task Readyz_EveryCheckOk_Answers200Ready()
    {
        var (health, _, state) = await StartAsync();
        state.RecordSuccess("thanos");
        state.RecordSuccess("database");

        using var response = await http.GetAsync(new Uri(health, "/readyz"), Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync(Ct)).ShouldStartWith("{\"status\":\"ready\",\"checks\":[{\"name\":\"configuration\",\"status\":\"ok\"");
    }

    [Fact]
    public async Task Metrics_OnMetricsPort_AnswersPrometheusText()
    {
        var (_, metrics, state) = await StartAsync();
        state.RecordSuccess("thanos");

        using var response = await http.GetAsync(new Uri(metrics, "/metrics"), Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.ToString().ShouldBe("text/plain; version=0.0.4; charset=utf-8");
        response.Headers.CacheControl!.NoStore.ShouldBeTrue();
        var text = await response.Content.ReadAsStringAsync(Ct);
        text.ShouldContain("thanos_bridge_dependency_up{dependency=\"thanos\"} 1\n");
        text.ShouldContain("thanos_bridge_dependency_up{dependency=\"database\"} 0\n");
        text.ShouldContain("# TYPE thanos_bridge_s3_failures_total counter\nthanos_bridge_s3_failures_total 0\n");
        text.ShouldContain("thanos_bridge_build_info{version=");
    }

    [Theory]
    [InlineData("health", "/metrics")]
    [InlineData("metrics", "/healthz")]
    [InlineData("metrics", "/readyz")]
    [InlineData("health", "/nope")]
    public async Task Endpoint_OnTheOtherPort_Answers404(string port, string path)
    {
        var (health, metrics, _) = await StartAsync();

        using var response = await http.GetAsync(new Uri(port == "health" ? health : metrics, path), Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    private async Task<(Uri Health, Uri Metrics, ReadinessState State)> StartAsync()
    {
        var healthPort = LoopbackPorts.Free();
        var metricsPort = LoopbackPorts.Free();
        var env = SettingsEnvironment.Minimal();
        env["THANOS_BRIDGE_HTTP_PORT"] = healthPort.ToString(CultureInfo.InvariantCulture);
        env["THANOS_BRIDGE_METRICS_PORT"] = metricsPort.ToString(CultureInfo.InvariantCulture);
        var settings = BridgeSettingsLoader.Load(env);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddBridgeTelemetry(settings);
        // Probes that never answer: the tests set the readiness state themselves.
        builder.Services.AddBridgeHealthChecks(_ => [Hanging("thanos"), Hanging("database")]);
        app = builder.Build();
        app.MapBridgeEndpoints(IPAddress.Loopback);
        await app.StartAsync(Ct);
        return (new Uri($"http://127.0.0.1:{healthPort}"), new Uri($"http://127.0.0.1:{metricsPort}"), app.Services.GetRequiredService<ReadinessState>());
    }

    private static DependencyProbe Hanging(string name) => new(name, ct => Task.Delay(Timeout.InfiniteTimeSpan, ct));
}
