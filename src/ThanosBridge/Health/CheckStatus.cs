namespace ThanosBridge.Health;

/// <summary>The state of one readiness check.</summary>
public enum CheckStatus
{
    /// <summary>Not checked yet.</summary>
    Pending,

    /// <summary>The latest check passed.</summary>
    Ok,

    /// <summary>The latest check failed.</summary>
    Failing,
}

/// <summary>The latest result of one check, as /readyz shows it.</summary>
/// <param name="Name">thanos, database, s3, kafka, or configuration.</param>
/// <param name="Status">The latest result.</param>
/// <param name="Error">Why the latest check failed (null unless <see cref="CheckStatus.Failing"/>); never holds a secret.</param>
/// <param name="CheckedAt">When the latest check finished (null while pending).</param>
/// <param name="FailingSince">When the check started failing (null unless failing).</param>
public sealed record CheckResult(string Name, CheckStatus Status, string? Error, DateTimeOffset? CheckedAt, DateTimeOffset? FailingSince = null);
