using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Trace;
using ThanosBridge.Configuration;
using ThanosBridge.Core.Metrics;
using ThanosBridge.Health;
using ThanosBridge.Telemetry;

namespace ThanosBridge.Hosting;

/// <summary>Registers the bridge's cross-cutting services: telemetry (metrics, traces) and health.</summary>
public static class ServiceCollectionExtensions
{
    /// <summary>
    /// Registers <paramref name="settings"/>, <see cref="TimeProvider.System"/> (unless one is registered),
    /// <see cref="IMeterFactory"/>, the /metrics <see cref="PrometheusMeterAdapter"/> (prometheus-net), <see cref="BridgeMetrics"/> (resolved
    /// after the exporter, so no measurement is missed) and, when OTEL_EXPORTER_OTLP_ENDPOINT is set, OpenTelemetry
    /// exporting spans and the runtime's metrics over OTLP (<see cref="BridgeTelemetry.AddBridgeOpenTelemetry"/>),
    /// created at start-up and flushed with the host.
    /// </summary>
    public static IServiceCollection AddBridgeTelemetry(this IServiceCollection services, BridgeSettings settings)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(settings);
        services.TryAddSingleton(settings);
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton<PrometheusMeterAdapter>();
        services.TryAddSingleton(sp =>
        {
            _ = sp.GetRequiredService<PrometheusMeterAdapter>();
            return new BridgeMetrics(sp.GetRequiredService<IMeterFactory>(), BridgeTelemetry.Version);
        });
        if (settings.OtlpEndpoint is { } endpoint)
        {
            services.AddBridgeOpenTelemetry(endpoint, settings.OtlpProtocol);
        }

        services.AddHostedService<TelemetryStartup>();
        return services;
    }

    /// <summary>
    /// Registers /readyz's state and the background checks: thanos (always) and database (when configured) are built
    /// from <paramref name="settings"/>; <paramref name="probes"/> adds the others, e.g.
    /// <c>sp => [new(DependencyProbe.S3, sp.GetRequiredService&lt;S3PayloadStore&gt;().CheckAsync), …]</c>. When S3 or
    /// Kafka is configured, a probe named <see cref="DependencyProbe.S3"/> / <see cref="DependencyProbe.Kafka"/> is
    /// required (resolution fails otherwise). Also exports <c>thanos_bridge_dependency_up</c>.
    /// </summary>
    public static IServiceCollection AddBridgeHealth(
        this IServiceCollection services,
        BridgeSettings settings,
        Func<IServiceProvider, IEnumerable<DependencyProbe>>? probes = null,
        HealthCheckOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(settings);
        services.TryAddSingleton(settings);
        // On the process's own Thanos client and data source (the ones delivery uses): one of each kind.
        services.AddBridgeThanos(settings).AddBridgeKokuDatabase(settings);
        services.TryAddSingleton(sp => new ThanosHealthProbe(settings.Thanos, sp.GetRequiredKeyedService<HttpClient>(DeliveryServiceCollectionExtensions.ThanosHttpClient)));
        if (settings.Database is { } database)
        {
            services.TryAddSingleton(sp => new DatabaseHealthProbe(database, sp.GetRequiredService<Npgsql.NpgsqlDataSource>()));
        }

        return services.AddBridgeHealthChecks(sp =>
        {
            var all = new List<DependencyProbe> { sp.GetRequiredService<ThanosHealthProbe>().ToProbe() };
            if (settings.Database is not null)
            {
                all.Add(sp.GetRequiredService<DatabaseHealthProbe>().ToProbe());
            }

            all.AddRange(probes?.Invoke(sp) ?? []);
            RequireProbe(all, settings.S3 is not null, DependencyProbe.S3, "S3 (S3_ENDPOINT)");
            RequireProbe(all, settings.Kafka is not null, DependencyProbe.Kafka, "Kafka (KAFKA_BOOTSTRAP_SERVERS)");
            return all;
        }, sp => Secrets(settings, sp.GetRequiredService<ThanosHealthProbe>()), options);
    }

    /// <summary>
    /// The health machinery without the settings-derived probes: <see cref="ReadinessState"/> (configuration marked
    /// loaded), <see cref="HealthMetrics"/>, and ASP.NET Core health checks over <paramref name="probes"/> whose results
    /// <see cref="ReadinessPublisher"/> caches.
    /// <see cref="AddBridgeHealth"/> uses it; tests use it with fake probes.
    /// </summary>
    public static IServiceCollection AddBridgeHealthChecks(
        this IServiceCollection services,
        Func<IServiceProvider, IReadOnlyList<DependencyProbe>> probes,
        Func<IServiceProvider, IEnumerable<string>>? secrets = null,
        HealthCheckOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(probes);
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton(options ?? new HealthCheckOptions());
        services.TryAddSingleton(sp => probes(sp));
        services.TryAddSingleton(sp =>
        {
            var state = new ReadinessState(sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IReadOnlyList<DependencyProbe>>().Select(p => p.Name));
            state.MarkConfigurationLoaded();
            return state;
        });
        services.TryAddSingleton(sp => new HealthMetrics(sp.GetRequiredService<IMeterFactory>(), sp.GetRequiredService<ReadinessState>()));
        // ASP.NET Core's health checks: one per dependency (tag "dependency"), run only by the framework's publisher at
        // start-up and then every interval; ReadinessPublisher caches the results for /readyz. One check tagged
        // "ready" reads that cache, so a probe never waits on a dependency.
        var interval = (options ?? new HealthCheckOptions()).Interval;
        ArgumentOutOfRangeException.ThrowIfLessThan(interval, TimeSpan.FromSeconds(1), nameof(options));
        services.AddHealthChecks().AddCheck<ReadinessHealthCheck>(ReadinessHealthCheck.Name, tags: [ReadinessHealthCheck.Tag]);
        services.AddOptions<HealthCheckServiceOptions>().Configure<IServiceProvider>((o, sp) =>
        {
            var time = sp.GetRequiredService<TimeProvider>();
            var timeout = sp.GetRequiredService<HealthCheckOptions>().Timeout;
            var hidden = (secrets?.Invoke(sp) ?? []).Where(s => !string.IsNullOrEmpty(s)).ToList();
            foreach (var probe in sp.GetRequiredService<IReadOnlyList<DependencyProbe>>())
            {
                o.Registrations.Add(new HealthCheckRegistration(
                    probe.Name, _ => new DependencyHealthCheck(probe, timeout, time, hidden), HealthStatus.Unhealthy, [DependencyHealthCheck.Tag]));
            }
        });
        services.Configure<HealthCheckPublisherOptions>(o =>
        {
            o.Delay = TimeSpan.Zero;
            o.Period = interval;
            o.Predicate = r => r.Tags.Contains(DependencyHealthCheck.Tag);
        });
        services.TryAddSingleton(sp =>
        {
            _ = sp.GetRequiredService<HealthMetrics>();
            return new ReadinessPublisher(sp.GetRequiredService<ReadinessState>(), sp.GetRequiredService<HealthCheckOptions>(),
                sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<ReadinessPublisher>>());
        });
        services.AddSingleton<IHealthCheckPublisher>(sp => sp.GetRequiredService<ReadinessPublisher>());
        return services;
    }

    private static void RequireProbe(List<DependencyProbe> probes, bool configured, string name, string what)
    {
        if (configured && !probes.Exists(p => p.Name == name))
        {
            throw new InvalidOperationException($"{what} is configured but no '{name}' probe was given to AddBridgeHealth; readiness would not cover it");
        }
    }

    /// <summary>Every secret an error text could echo; enumerated anew at each use (the token file rotates).</summary>
    private static IEnumerable<string> Secrets(BridgeSettings settings, ThanosHealthProbe thanos)
    {
        foreach (var secret in thanos.Secrets)
        {
            yield return secret;
        }

        yield return settings.Database?.Password ?? "";
        yield return settings.S3?.SecretAccessKey ?? "";
        yield return settings.Kafka?.SaslPassword ?? "";
        yield return settings.S3?.Endpoint.UserInfo ?? "";
    }

    /// <summary>Creates the exporter, the instruments and the tracer provider at start-up and logs the telemetry set-up.</summary>
    private sealed class TelemetryStartup(IServiceProvider services, BridgeSettings settings, ILogger<TelemetryStartup> logger) : IHostedService, IDisposable
    {
        private ActivityListener? logCorrelation;

        public Task StartAsync(CancellationToken cancellationToken)
        {
            _ = services.GetRequiredService<PrometheusMeterAdapter>();
            _ = services.GetRequiredService<BridgeMetrics>();
            if (services.GetService<TracerProvider>() is not null && settings.OtlpEndpoint is { } endpoint)
            {
                var sources = string.Join(",", BridgeTelemetry.ActivitySourceNames);
                var target = endpoint.ToString();
                var protocol = settings.OtlpProtocol.ToString();
                Log.TracingEnabled(logger, sources, protocol, target);
            }
            else
            {
                // Without an exporter nothing would listen to the bridge's sources and no span would exist: create
                // them unrecorded (ids only), so that every log line of a run still carries its trace and span ids.
                logCorrelation = BridgeTelemetry.CreateLogCorrelationListener();
                ActivitySource.AddActivityListener(logCorrelation);
                Log.TracingDisabled(logger);
            }

            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public void Dispose() => logCorrelation?.Dispose();
    }
}
