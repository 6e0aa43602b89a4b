namespace ThanosBridge.Core.Collection.Prometheus;

/// <summary>
/// Receives a matrix answer series by series, in response order, as it is read, so that each series can be reduced and
/// dropped before the next one arrives. An answer can be read more than once (an attempt that failed mid-body is
/// retried): <see cref="Restart"/> comes before every reading and discards what the previous one handed out.
/// </summary>
public interface ISeriesSink
{
    void Restart();

    void Add(Series series);
}

/// <summary>The sink that keeps every series: for the answers that are needed whole (ROS windows, counters, probes, tests).</summary>
public sealed class SeriesList : ISeriesSink
{
    private readonly List<Series> series = [];

    public IReadOnlyList<Series> Series => series;

    public void Restart() => series.Clear();

    // Kept answers are held until their report is built: samples in an array of exact size, not the parser's growing list.
    public void Add(Series series)
    {
        ArgumentNullException.ThrowIfNull(series);
        this.series.Add(series.Samples is Sample[] ? series : series with { Samples = [.. series.Samples] });
    }
}
