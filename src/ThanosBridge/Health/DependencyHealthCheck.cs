using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ThanosBridge.Health;

/// <summary>
/// One dependency's check as an ASP.NET Core health check (tag <see cref="Tag"/>): healthy when the probe completes
/// within the timeout; unhealthy, with the probe's error text (secrets and URL credentials redacted) or "no answer
/// within N s", when it throws or times out. Run in the background by the health check publisher, never by a request.
/// </summary>
public sealed class DependencyHealthCheck(DependencyProbe probe, TimeSpan timeout, TimeProvider time, IReadOnlyList<string> secrets) : IHealthCheck
{
    /// <summary>The tag of the dependency checks, which the publisher runs.</summary>
    public const string Tag = "dependency";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        // The timeout runs on the injected clock (the framework's registration timeout does not).
        using var timer = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        try
        {
            // Yield first so that a probe that blocks synchronously cannot hold up the others.
            await Task.Yield();
            await probe.CheckAsync(linked.Token);
            return HealthCheckResult.Healthy();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw; // shutting down: no result, nothing recorded
        }
        catch (OperationCanceledException) when (timer.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy(string.Create(CultureInfo.InvariantCulture, $"no answer within {timeout.TotalSeconds:0.###} s"));
        }
#pragma warning disable CA1031 // A probe's failure of any kind is the check's result, recorded and logged; nothing is swallowed.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return HealthCheckResult.Unhealthy(HealthErrorText.From(e, secrets));
        }
    }
}
