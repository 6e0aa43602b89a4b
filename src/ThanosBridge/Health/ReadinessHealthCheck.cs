using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ThanosBridge.Health;

/// <summary>/readyz's check: reads the cached results in <see cref="ReadinessState"/> and runs nothing.</summary>
public sealed class ReadinessHealthCheck(ReadinessState state) : IHealthCheck
{
    public const string Name = "readiness";
    public const string Tag = "ready";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(state.IsReady ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy());
}
