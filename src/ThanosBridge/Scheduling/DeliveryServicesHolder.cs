using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ThanosBridge.Adapters.Kafka;
using ThanosBridge.Adapters.S3;
using ThanosBridge.Configuration;
using ThanosBridge.Core.Telemetry;
using ThanosBridge.Delivery;

namespace ThanosBridge.Scheduling;

/// <summary>
/// Creates the delivery services on first use and keeps them. Creation touches the database (ledger migrations), so it
/// happens in the first run rather than at start-up: a dependency that is down makes runs fail and readiness report
/// it, instead of crash-looping the pod. A failed creation is retried by the next call.
/// </summary>
/// <remarks>The S3 client and Kafka producer are the host's own (its readiness probes use them too): one each per process.</remarks>
public sealed class DeliveryServicesHolder(
    BridgeSettings settings, TimeProvider time, ILoggerFactory loggers, IMeterFactory meters, BridgeMetrics metrics, IServiceProvider host)
    : IAsyncDisposable
{
    private readonly SemaphoreSlim gate = new(1, 1);
    private DeliveryServices? services;

    public async Task<DeliveryServices> GetAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref services) is { } ready)
        {
            return ready;
        }

        await gate.WaitAsync(cancellationToken);
        try
        {
            services ??= await DeliveryServices.CreateAsync(
                settings, time, loggers, meters, recordDirectory: null, cancellationToken, metrics,
                host.GetService<S3PayloadStore>(), host.GetService<KafkaAnnouncer>());
            return services;
        }
        finally
        {
            gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (services is not null)
        {
            await services.DisposeAsync();
        }

        gate.Dispose();
    }
}
