using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using ThanosBridge.Configuration;
using ThanosBridge.Core.Metrics;
using ThanosBridge.Health;
using ThanosBridge.Hosting;
using ThanosBridge.Telemetry;
using ThanosBridge.Tests.Configuration;

namespace ThanosBridge.Tests.Hosting;

public sealed class ServiceCollectionExtensionsTests : IDisposable
{
    private readonly SettingsEnvironment files = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => files.Dispose();

    [Fact]
    public void AddBridgeTelemetry_NoOtlpEndpoint_RegistersMetricsButNoTracerProvider()
    {
        var settings = BridgeSettingsLoader.Load(SettingsEnvironment.Minimal());
        using var provider = new ServiceCollection().AddLogging().AddBridgeTelemetry(settings).BuildServiceProvider();

        provider.GetService<TracerProvider>().ShouldBeNull();
        provider.GetRequiredService<BridgeMetrics>().ShouldNotBeNull();
        provider.GetRequiredService<BridgeSettings>().ShouldBeSameAs(settings);
        provider.GetRequiredService<TimeProvider>().ShouldBeSameAs(TimeProvider.System);
    }

    [Fact]
    public async Task AddBridgeTelemetry_MetricsRecordedThroughTheContainer_AppearOnTheExporter()
    {
        var settings = BridgeSettingsLoader.Load(SettingsEnvironment.Minimal());
        using var provider = new ServiceCollection().AddLogging().AddBridgeTelemetry(settings).BuildServiceProvider();

        provider.GetRequiredService<BridgeMetrics>().KafkaFailures.Add(2);

        (await provider.GetRequiredService<PrometheusMeterAdapter>().CollectAsync(Ct)).ShouldContain("thanos_bridge_kafka_failures_total 2\n");
    }

    [Fact]
    public async Task AddBridgeTelemetry_OtlpEndpointOverHttp_ExportsSpansAndRuntimeMetrics()
    {
        await using var receiver = await OtlpReceiver.StartAsync(Ct);
        var env = SettingsEnvironment.Minimal();
        env["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.BaseUrl.ToString();
        env["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
        var settings = BridgeSettingsLoader.Load(env);
        var provider = new ServiceCollection().AddLogging().AddBridgeTelemetry(settings).BuildServiceProvider();
        _ = provider.GetRequiredService<TracerProvider>();
        _ = provider.GetRequiredService<MeterProvider>();
        using (var source = new ActivitySource(BridgeTelemetry.ActivitySourceName))
        {
            using var activity = source.StartActivity("bridge-run-span");
            activity.ShouldNotBeNull();
            // An outgoing request under it, as the Thanos and S3 clients make.
            using var client = new HttpClient();
            (await client.GetAsync(new Uri(receiver.BaseUrl, "probe-target"), Ct)).EnsureSuccessStatusCode();
        }

        await provider.DisposeAsync(); // flushes both providers

        var traces = receiver.Bodies("/v1/traces");
        traces.ShouldContain(b => Contains(b, "bridge-run-span") && Contains(b, BridgeTelemetry.ActivitySourceName));
        traces.ShouldContain(b => Contains(b, "System.Net.Http"), "the HttpClient instrumentation's span");
        receiver.Requests.ShouldContain(r => r.Path == "/v1/traces" && r.ContentType == "application/x-protobuf");
        receiver.Bodies("/v1/metrics").ShouldContain(b => Contains(b, "dotnet.gc"), "the runtime's metrics");
        receiver.Bodies("/v1/metrics").ShouldNotContain(b => Contains(b, "thanos_bridge") || Contains(b, BridgeMetrics.MeterName + "\""));
    }

    [Fact]
    public void CreateLogCorrelationListener_BridgeSourcesOnly_IdsWithoutRecording()
    {
        using var listener = BridgeTelemetry.CreateLogCorrelationListener();
        using var bridge = new ActivitySource(BridgeTelemetry.ActivitySourceName);
        using var thanos = new ActivitySource(ThanosBridge.Adapters.Thanos.ThanosQueryClient.ActivitySourceName);
        using var other = new ActivitySource("SomethingElse");

        listener.ShouldListenTo!(bridge).ShouldBeTrue();
        listener.ShouldListenTo!(thanos).ShouldBeTrue();
        listener.ShouldListenTo!(other).ShouldBeFalse();
        ActivitySource.AddActivityListener(listener);
        using var run = bridge.StartActivity("run");
        run.ShouldNotBeNull();
        run.TraceId.ShouldNotBe(default);
        run.Recorded.ShouldBeFalse();
        run.IsAllDataRequested.ShouldBeFalse();
    }

    private static bool Contains(byte[] body, string text) => body.AsSpan().IndexOf(System.Text.Encoding.UTF8.GetBytes(text)) >= 0;

    [Theory]
    [InlineData("http://collector:4318", OtlpExportProtocol.HttpProtobuf, "http://collector:4318/v1/traces")]
    [InlineData("http://collector:4318/otlp/", OtlpExportProtocol.HttpProtobuf, "http://collector:4318/otlp/v1/traces")]
    [InlineData("http://collector:4317", OtlpExportProtocol.Grpc, "http://collector:4317/")]
    public void SignalEndpoint_Protocol_AppendsSignalPathForHttpOnly(string endpoint, OtlpExportProtocol protocol, string expected) =>
        BridgeTelemetry.SignalEndpoint(new Uri(endpoint), protocol, "v1/traces").ShouldBe(new Uri(expected));

    [Fact]
    public void AddBridgeHealth_KokuSettingsWithS3AndKafkaProbes_ChecksEveryDependency()
    {
        var settings = BridgeSettingsLoader.Load(files.Koku());
        using var provider = new ServiceCollection().AddLogging()
            .AddBridgeHealth(settings, _ => [new(DependencyProbe.S3, _ => Task.CompletedTask), new(DependencyProbe.Kafka, _ => Task.CompletedTask)])
            .BuildServiceProvider();

        provider.GetRequiredService<IReadOnlyList<DependencyProbe>>().Select(p => p.Name).ShouldBe(["thanos", "database", "s3", "kafka"]);
        var state = provider.GetRequiredService<ReadinessState>();
        state.Dependencies.ShouldBe(["thanos", "database", "s3", "kafka"]);
        state.Get(ReadinessState.ConfigurationCheck).Status.ShouldBe(CheckStatus.Ok);
    }

    [Fact]
    public void AddBridgeHealth_S3ConfiguredWithoutProbe_FailsToResolve()
    {
        var settings = BridgeSettingsLoader.Load(files.Koku());
        using var provider = new ServiceCollection().AddLogging()
            .AddBridgeHealth(settings, _ => [new(DependencyProbe.Kafka, _ => Task.CompletedTask)])
            .BuildServiceProvider();

        Should.Throw<InvalidOperationException>(() => provider.GetRequiredService<IReadOnlyList<DependencyProbe>>())
            .Message.ShouldBe("S3 (S3_ENDPOINT) is configured but no 's3' probe was given to AddBridgeHealth; readiness would not cover it");
    }

    [Fact]
    public void AddBridgeHealth_NoDatabaseNoDelivery_ChecksThanosOnly()
    {
        var settings = BridgeSettingsLoader.Load(SettingsEnvironment.Minimal());
        using var provider = new ServiceCollection().AddLogging().AddBridgeHealth(settings).BuildServiceProvider();

        provider.GetRequiredService<IReadOnlyList<DependencyProbe>>().Select(p => p.Name).ShouldBe(["thanos"]);
    }

    private static readonly Action<ILogger, string, Exception?> QueryRetrying =
        LoggerMessage.Define<string>(LogLevel.Warning, new EventId(2101, "ThanosQueryRetrying"), "query {QueryName} failed");

    private static readonly Action<ILogger, Exception?> RunFinished =
        LoggerMessage.Define(LogLevel.Information, new EventId(1105, "RunFinished"), "run finished");

    [Fact]
    public void AddBridgeJsonLogs_Event_IsOneCompactJsonLineWithEventIdScopesAndTraceIds()
    {
        using var output = new StringWriter();
        using (var provider = new ServiceCollection().AddLogging(b => b.AddBridgeJsonLogs(output)).BuildServiceProvider())
        {
            var logger = provider.GetRequiredService<ILoggerFactory>().CreateLogger("ThanosBridge.Test");
            using var source = new ActivitySource("ThanosBridge.Test.Logs");
            using var listener = new ActivityListener
            {
                ShouldListenTo = s => s.Name == source.Name,
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            };
            ActivitySource.AddActivityListener(listener);
            using var activity = source.StartActivity("run")!;
            using (logger.BeginScope(new Dictionary<string, object> { ["cluster_id"] = "c1" }))
            {
                QueryRetrying(logger, "node-cpu", null);
                RunFinished(logger, null);
            }

            RunFinished(provider.GetRequiredService<ILoggerFactory>().CreateLogger("Microsoft.AspNetCore.Routing"), null); // filtered out
            var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
            lines.Length.ShouldBe(2, output.ToString());
            using var warning = System.Text.Json.JsonDocument.Parse(lines[0]);
            var w = warning.RootElement;
            w.GetProperty("@m").GetString().ShouldBe("query \"node-cpu\" failed");
            w.GetProperty("@l").GetString().ShouldBe("Warning");
            w.GetProperty("EventId").GetProperty("Id").GetInt32().ShouldBe(2101);
            w.GetProperty("EventId").GetProperty("Name").GetString().ShouldBe("ThanosQueryRetrying");
            w.GetProperty("QueryName").GetString().ShouldBe("node-cpu");
            w.GetProperty("cluster_id").GetString().ShouldBe("c1");
            w.GetProperty("SourceContext").GetString().ShouldBe("ThanosBridge.Test");
            w.GetProperty("@tr").GetString().ShouldBe(activity.TraceId.ToHexString());
            w.GetProperty("@sp").GetString().ShouldBe(activity.SpanId.ToHexString());
            DateTimeOffset.Parse(w.GetProperty("@t").GetString()!, System.Globalization.CultureInfo.InvariantCulture).ShouldNotBe(default);
            using var information = System.Text.Json.JsonDocument.Parse(lines[1]);
            information.RootElement.TryGetProperty("@l", out _).ShouldBeFalse(); // CLEF: Information is the default level
            information.RootElement.GetProperty("EventId").GetProperty("Id").GetInt32().ShouldBe(1105);
        }
    }

    /// <summary>A loopback Kestrel that records OTLP/HTTP posts.</summary>
    private sealed class OtlpReceiver : IAsyncDisposable
    {
        private readonly WebApplication app;
        private readonly System.Collections.Concurrent.ConcurrentQueue<(string Path, string? ContentType, byte[] Body)> requests = new();

        private OtlpReceiver(WebApplication app)
        {
            this.app = app;
            app.Run(async context =>
            {
                using var body = new MemoryStream();
                await context.Request.Body.CopyToAsync(body);
                requests.Enqueue((context.Request.Path.Value ?? "", context.Request.ContentType, body.ToArray()));
                context.Response.StatusCode = StatusCodes.Status200OK;
            });
        }

        public Uri BaseUrl { get; private set; } = null!;

        public IReadOnlyList<(string Path, string? ContentType, byte[] Body)> Requests => [.. requests];

        public IReadOnlyList<byte[]> Bodies(string path) => [.. requests.Where(r => r.Path == path).Select(r => r.Body)];

        public static async Task<OtlpReceiver> StartAsync(CancellationToken cancellationToken)
        {
            var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0));
            var receiver = new OtlpReceiver(builder.Build());
            await receiver.app.StartAsync(cancellationToken);
            receiver.BaseUrl = new Uri(receiver.app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
            return receiver;
        }

        public async ValueTask DisposeAsync()
        {
            await app.StopAsync(CancellationToken.None);
            await app.DisposeAsync();
        }
    }
}
