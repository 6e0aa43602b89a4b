namespace ThanosBridge.Core.Collection.Prometheus;

/// <summary>One point of a series: Unix time in milliseconds (Prometheus resolution) and its value.</summary>
public readonly record struct Sample(long TimestampMs, double Value)
{
    public DateTimeOffset Time => DateTimeOffset.FromUnixTimeMilliseconds(TimestampMs);
}
