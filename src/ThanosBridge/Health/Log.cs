using Microsoft.Extensions.Logging;

namespace ThanosBridge.Health;

/// <summary>Log events of the readiness checks (EventIds 9100-9199).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 9100, EventName = "DependencyCheckFailed", Level = LogLevel.Warning,
        Message = "dependency {Dependency} check failed: {CheckError}; /readyz answers 503 until it passes")]
    public static partial void DependencyCheckFailed(ILogger logger, string dependency, string checkError);

    [LoggerMessage(EventId = 9101, EventName = "DependencyStillFailing", Level = LogLevel.Debug,
        Message = "dependency {Dependency} check still failing since {FailingSince}: {CheckError}")]
    public static partial void DependencyStillFailing(ILogger logger, string dependency, DateTimeOffset? failingSince, string checkError);

    [LoggerMessage(EventId = 9102, EventName = "DependencyRecovered", Level = LogLevel.Information,
        Message = "dependency {Dependency} check passed again after failing for {FailingFor}")]
    public static partial void DependencyRecovered(ILogger logger, string dependency, TimeSpan failingFor);

    [LoggerMessage(EventId = 9103, EventName = "DependencyAvailable", Level = LogLevel.Information,
        Message = "dependency {Dependency} check passed")]
    public static partial void DependencyAvailable(ILogger logger, string dependency);

    [LoggerMessage(EventId = 9104, EventName = "ReadinessChanged", Level = LogLevel.Information,
        Message = "readiness changed to {Readiness}")]
    public static partial void ReadinessChanged(ILogger logger, string readiness);

    [LoggerMessage(EventId = 9105, EventName = "HealthChecksStarted", Level = LogLevel.Information,
        Message = "checking dependencies {Dependencies} every {CheckInterval} (timeout {CheckTimeout})")]
    public static partial void HealthChecksStarted(ILogger logger, string dependencies, TimeSpan checkInterval, TimeSpan checkTimeout);
}
