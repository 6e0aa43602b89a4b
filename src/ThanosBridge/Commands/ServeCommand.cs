using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Quartz;
using ThanosBridge.Adapters.Kafka;
using ThanosBridge.Adapters.S3;
using ThanosBridge.Configuration;
using ThanosBridge.Health;
using ThanosBridge.Hosting;
using ThanosBridge.Scheduling;

namespace ThanosBridge.Commands;

/// <summary>
/// <c>serve</c>: the daemon. Delivery runs on the cron schedule (THANOS_BRIDGE_SCHEDULE) and once right after start-up;
/// /healthz and /readyz on port 8080, /metrics on port 9090; SIGTERM stops within the shutdown grace period.
/// </summary>
internal static class ServeCommand
{
    /// <summary>Below Kubernetes' default 30 s termination grace period, so shutdown finishes before SIGKILL.</summary>
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(25);

    public static async Task<int> RunAsync(BridgeSettings settings, TimeProvider time, CancellationToken cancellationToken = default)
    {
        await using var app = Build(settings, time);
        await app.RunAsync(cancellationToken);
        return BridgeCommandLine.Success;
    }

    internal static WebApplication Build(BridgeSettings settings, TimeProvider time, System.Net.IPAddress? listenAddress = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddBridgeJsonLogs();
        builder.Services.AddSingleton(time);
        builder.Services.AddBridgeTelemetry(settings);
        builder.Services.AddBridgeDelivery(settings);

        builder.Services.AddBridgeHealth(settings, sp =>
        [
            .. settings.S3 is null ? [] : new[] { new DependencyProbe(DependencyProbe.S3, sp.GetRequiredService<S3PayloadStore>().CheckAsync) },
            .. settings.Kafka is null ? [] : new[] { new DependencyProbe(DependencyProbe.Kafka, sp.GetRequiredService<KafkaAnnouncer>().CheckAsync) },
        ]);
        builder.Services.AddQuartz(q =>
        {
            q.UseTimeProvider(time);
            q.AddJob<DeliveryJob>(j => j.WithIdentity(DeliveryJob.Key));
            q.AddTrigger(t => t
                .ForJob(DeliveryJob.Key)
                .WithIdentity("delivery-schedule", DeliveryJob.Key.Group)
                .WithCronSchedule(settings.Schedule.Quartz, c => c.InTimeZone(TimeZoneInfo.Utc).WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed)));
            // One run right after start-up, so a restart does not wait up to a schedule interval to catch up.
            q.AddTrigger(t => t.ForJob(DeliveryJob.Key).WithIdentity("delivery-at-start", DeliveryJob.Key.Group).StartNow());
        });
        builder.Services.AddQuartzHostedService(o =>
        {
            o.WaitForJobsToComplete = true;
            o.AwaitApplicationStarted = true;
        });
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = ShutdownTimeout);

        var app = builder.Build();
        app.MapBridgeEndpoints(listenAddress);
        app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("ThanosBridge.Serve").LogConfigurationLoaded(settings);
        return app;
    }
}
