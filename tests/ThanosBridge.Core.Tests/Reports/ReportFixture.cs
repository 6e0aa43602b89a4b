using System.Globalization;
using ThanosBridge.Core.Collection.Prometheus;
using ThanosBridge.Core.Csv;
using ThanosBridge.Core.Reports;

namespace ThanosBridge.Core.Tests.Reports;

/// <summary>
/// Hand-made query results for <see cref="ReportBuilder"/>: one matrix per CMMO query name. Cost series get one sample
/// per step of the current hour (HH:00, HH:00+step, …); ROS series get one sample per 15-minute window end
/// (HH:15, HH:30, HH:45, HH+1:00). Series are kept in insertion order (the "response order"); adding samples to a
/// label set that is already present extends that series, as one range query over several hours would.
/// </summary>
internal sealed class ReportFixture
{
    private readonly Dictionary<string, List<Series>> results = new(StringComparer.Ordinal);
    private readonly List<DateTimeOffset> hours = [];

    public ReportFixture(DateTimeOffset hour, TimeSpan? step = null)
    {
        Step = step ?? TimeSpan.FromSeconds(60);
        At(hour);
    }

    /// <summary>The hour that the next samples are added to.</summary>
    public DateTimeOffset Hour { get; private set; }

    public TimeSpan Step { get; }

    /// <summary>Samples per full hour at <see cref="Step"/> (60 for 60 s, 12 for 300 s).</summary>
    public int PointsPerHour => (int)(TimeSpan.FromHours(1) / Step);

    /// <summary>Every query name that has at least one series in this fixture.</summary>
    public IReadOnlyCollection<string> QueryNames => results.Keys;

    /// <summary>Switches to <paramref name="hour"/> and adds it to the hours to build (once, in call order).</summary>
    public ReportFixture At(DateTimeOffset hour)
    {
        Hour = hour;
        if (!hours.Contains(hour))
        {
            hours.Add(hour);
        }

        return this;
    }

    /// <summary>A cost series with the same value at every step of the current hour.</summary>
    public ReportFixture Cost(string query, double value, params (string Name, string Value)[] labels) =>
        CostFrom(query, 0, [.. Enumerable.Repeat(value, PointsPerHour)], labels);

    /// <summary>A cost series holding <paramref name="values"/> at steps 0, 1, 2, … of the current hour.</summary>
    public ReportFixture CostSamples(string query, double[] values, params (string Name, string Value)[] labels) =>
        CostFrom(query, 0, values, labels);

    /// <summary>A cost series holding <paramref name="values"/> at steps firstStep, firstStep+1, … of the current hour.</summary>
    public ReportFixture CostFrom(string query, int firstStep, double[] values, params (string Name, string Value)[] labels)
    {
        var samples = values.Select((v, i) => new Sample((Hour + (Step * (firstStep + i))).ToUnixTimeMilliseconds(), v));
        return Add(query, LabelSet.Of(labels), samples);
    }

    /// <summary>
    /// The coverage pattern: <paramref name="v"/> for the first half of the hour, 2 × <paramref name="v"/> for the
    /// second half (60 s step), so that Σ × 60 = 5400 v and max × 60 × 60 = 7200 v tell sum and max apart.
    /// </summary>
    public ReportFixture Ramp(string query, double v, params (string Name, string Value)[] labels) =>
        CostSamples(query, [.. Enumerable.Repeat(v, 30), .. Enumerable.Repeat(2 * v, 30)], labels);

    /// <summary>A ROS series with the same value at all four window ends of the current hour.</summary>
    public ReportFixture Ros(string query, double value, params (string Name, string Value)[] labels) =>
        RosWindows(query, [(1, value), (2, value), (3, value), (4, value)], labels);

    /// <summary>A ROS series with a value at the end of the given windows (1 = HH:15 … 4 = HH+1:00).</summary>
    public ReportFixture RosWindows(string query, (int Window, double Value)[] points, params (string Name, string Value)[] labels)
    {
        var samples = points.Select(p => new Sample((Hour + TimeSpan.FromMinutes(15 * p.Window)).ToUnixTimeMilliseconds(), p.Value));
        return Add(query, LabelSet.Of(labels), samples);
    }

    public ReportFixture Add(string query, LabelSet labels, IEnumerable<Sample> samples)
    {
        if (!results.TryGetValue(query, out var list))
        {
            list = [];
            results[query] = list;
        }

        var index = list.FindIndex(s => s.Labels.Equals(labels));
        if (index < 0)
        {
            list.Add(new Series(labels, [.. samples]));
        }
        else
        {
            list[index] = new Series(labels, [.. list[index].Samples, .. samples]);
        }

        return this;
    }

    public ReportInputs Inputs(bool ros = true) =>
        new(hours, Step, results.ToDictionary(r => r.Key, r => new QueryResult(r.Value, []), StringComparer.Ordinal), ros);

    public ReportSet Build(bool ros = true) => ReportBuilder.Build(Inputs(ros));
}

/// <summary>Reading built tables by column name, and the formats the expectations are written in.</summary>
internal static class ReportAssertions
{
    private static readonly string[] Leading = ["report_period_start", "report_period_end", "interval_start", "interval_end"];

    /// <summary>Every row as column → cell; also checks that each row is exactly as wide as the header.</summary>
    public static List<Dictionary<string, string>> Records(this CsvTable table)
    {
        var records = new List<Dictionary<string, string>>();
        foreach (var row in table.Rows)
        {
            row.Count.ShouldBe(table.Header.Count, $"a row of {table.FileName} is not as wide as its header");
            var record = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < row.Count; i++)
            {
                record[table.Header[i]] = row[i];
            }

            records.Add(record);
        }

        return records;
    }

    /// <summary>The rows whose <paramref name="column"/> equals <paramref name="value"/>.</summary>
    public static List<Dictionary<string, string>> Where(this CsvTable table, string column, string value) =>
        [.. table.Records().Where(r => r[column] == value)];

    /// <summary>The only row whose <paramref name="column"/> equals <paramref name="value"/>.</summary>
    public static Dictionary<string, string> Single(this CsvTable table, string column, string value)
    {
        var rows = table.Where(column, value);
        rows.Count.ShouldBe(1, $"{table.FileName}: rows with {column}={value}");
        return rows[0];
    }

    /// <summary>The values of one column, in output order.</summary>
    public static List<string> Column(this CsvTable table, string column) => [.. table.Records().Select(r => r[column])];

    /// <summary>Asserts that every listed column has exactly the expected text and every other column (after the four leading ones) is empty.</summary>
    public static void ShouldHaveOnly(this Dictionary<string, string> record, params (string Column, string Value)[] expected)
    {
        var wanted = expected.ToDictionary(e => e.Column, e => e.Value, StringComparer.Ordinal);
        foreach (var (column, value) in record.Where(r => !Leading.Contains(r.Key)))
        {
            value.ShouldBe(wanted.TryGetValue(column, out var w) ? w : "", $"column {column}");
        }

        foreach (var column in wanted.Keys)
        {
            record.ContainsKey(column).ShouldBeTrue($"no column {column}");
        }
    }

    /// <summary>Go's <c>strconv.FormatFloat(v, 'f', 6, 64)</c>, written independently of the production formatter.</summary>
    public static string F6(double value) =>
        double.IsNaN(value) ? "NaN"
        : double.IsPositiveInfinity(value) ? "+Inf"
        : double.IsNegativeInfinity(value) ? "-Inf"
        : value.ToString("F6", CultureInfo.InvariantCulture);
}
