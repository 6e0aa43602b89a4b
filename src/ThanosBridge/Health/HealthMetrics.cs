using System.Diagnostics.Metrics;
using ThanosBridge.Core.Metrics;

namespace ThanosBridge.Health;

/// <summary>
/// Exports the readiness checks as <c>thanos_bridge_dependency_up{dependency}</c>: 1 when the latest check passed,
/// 0 when it failed or has not run yet. Created on the bridge's meter, so /metrics exports it with the others.
/// </summary>
public sealed class HealthMetrics
{
    public const string InstrumentName = "dependency_up";

    public HealthMetrics(IMeterFactory meterFactory, ReadinessState state)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        ArgumentNullException.ThrowIfNull(state);
        var meter = meterFactory.Create(BridgeMetrics.MeterName);
        meter.CreateObservableGauge(InstrumentName,
            () => state.Snapshot().Checks
                .Where(c => c.Name != ReadinessState.ConfigurationCheck)
                .Select(c => new Measurement<int>(c.Status == CheckStatus.Ok ? 1 : 0, new KeyValuePair<string, object?>("dependency", c.Name))),
            unit: null,
            description: "1 when the latest readiness check of the dependency passed, 0 when it failed or has not run yet.");
    }
}
