using ThanosBridge.Core.Collection.Prometheus;

namespace ThanosBridge.Adapters.Tests.Thanos;

internal static class SeriesAssertions
{
    /// <summary>Series records compare their sample lists by reference; this compares the contents.</summary>
    public static void ShouldMatch(this Series actual, Series expected)
    {
        actual.Labels.ShouldBe(expected.Labels);
        actual.Samples.ShouldBe(expected.Samples);
    }
}
