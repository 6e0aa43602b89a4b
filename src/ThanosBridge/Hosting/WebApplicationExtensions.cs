using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ThanosBridge.Configuration;
using ThanosBridge.Health;
using Prometheus;
using AspNetHealthCheckOptions = Microsoft.AspNetCore.Diagnostics.HealthChecks.HealthCheckOptions;
using ThanosBridge.Telemetry;

namespace ThanosBridge.Hosting;

/// <summary>Maps the bridge's management endpoints.</summary>
public static class WebApplicationExtensions
{
    public const string MetricsPath = "/metrics";

    /// <summary>
    /// Makes Kestrel listen on <see cref="BridgeSettings.HttpPort"/> (8080: /healthz, /readyz) and
    /// <see cref="BridgeSettings.MetricsPort"/> (9090: /metrics), replacing any other URL, and maps each endpoint on
    /// its own port only (the port the connection arrived on decides, not the Host header; elsewhere 404). Needs
    /// <see cref="ServiceCollectionExtensions.AddBridgeTelemetry"/> and
    /// <see cref="ServiceCollectionExtensions.AddBridgeHealth"/>.
    /// </summary>
    /// <param name="app">The application, before it runs.</param>
    /// <param name="listenAddress">The address to bind; default all interfaces (tests pass <see cref="IPAddress.Loopback"/>).</param>
    public static WebApplication MapBridgeEndpoints(this WebApplication app, IPAddress? listenAddress = null)
    {
        ArgumentNullException.ThrowIfNull(app);
        var settings = app.Services.GetRequiredService<BridgeSettings>();
        var readiness = app.Services.GetRequiredService<ReadinessState>();
        var metrics = app.Services.GetRequiredService<PrometheusMeterAdapter>();
        var host = listenAddress switch
        {
            null => "+",
            { AddressFamily: AddressFamily.InterNetworkV6 } => $"[{listenAddress}]",
            _ => listenAddress.ToString(),
        };
        app.Urls.Clear();
        app.Urls.Add(string.Create(CultureInfo.InvariantCulture, $"http://{host}:{settings.HttpPort}"));
        app.Urls.Add(string.Create(CultureInfo.InvariantCulture, $"http://{host}:{settings.MetricsPort}"));

        // ASP.NET Core's health check middleware on the health port only: /healthz runs no check; /readyz runs the one
        // that reads the cached dependency results (the bodies are written as before, see HealthEndpoints).
        app.UseHealthChecks(HealthEndpoints.LivenessPath, settings.HttpPort, new AspNetHealthCheckOptions
        {
            Predicate = _ => false,
            AllowCachingResponses = true, // the writers set Cache-Control: no-store themselves
            ResponseWriter = (context, _) => HealthEndpoints.WriteLivenessAsync(context),
        });
        app.UseHealthChecks(HealthEndpoints.ReadinessPath, settings.HttpPort, new AspNetHealthCheckOptions
        {
            Predicate = r => r.Tags.Contains(ReadinessHealthCheck.Tag),
            AllowCachingResponses = true,
            ResponseWriter = (context, _) => HealthEndpoints.WriteReadinessAsync(context, readiness),
        });
        // prometheus-net's exporter, on the metrics port only. The text format 0.0.4 only: with OpenMetrics negotiated,
        // counters would be declared without their _total suffix.
        app.UseWhen(context => context.Connection.LocalPort == settings.MetricsPort, metricsPort => metricsPort
            .Use((context, next) =>
            {
                context.Response.Headers.CacheControl = "no-store"; // as the probes: never a cached scrape
                return next(context);
            })
            .UseMetricServer(
                options =>
                {
                    options.Registry = metrics.Registry;
                    options.EnableOpenMetrics = false;
                },
                MetricsPath));

        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(WebApplicationExtensions).FullName!);
        app.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStarted.Register(
            () => Log.EndpointsListening(logger, settings.HttpPort, settings.MetricsPort));
        return app;
    }
}
