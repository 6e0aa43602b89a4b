namespace ThanosBridge.Health;

/// <summary>
/// A background check of one dependency: <see cref="CheckAsync"/> completes when the dependency answered and throws
/// when it did not. The exception's message becomes the check's error text (secrets and URL credentials redacted).
/// </summary>
/// <param name="Name">The check's name in /readyz and the <c>dependency</c> label of <c>thanos_bridge_dependency_up</c>.</param>
/// <param name="CheckAsync">One attempt, bounded by the cancellation token (the probe timeout).</param>
public sealed record DependencyProbe(string Name, Func<CancellationToken, Task> CheckAsync)
{
    public const string Thanos = "thanos";
    public const string Database = "database";
    public const string S3 = "s3";
    public const string Kafka = "kafka";
}
