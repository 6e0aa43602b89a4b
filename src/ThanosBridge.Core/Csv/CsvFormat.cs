using System.Globalization;

namespace ThanosBridge.Core.Csv;

/// <summary>Cell formats of CMMO's CSVs (cmmo-output.md §3.2, §3.4), so koku parses bridge files like CMMO's.</summary>
public static class CsvFormat
{
    /// <summary>
    /// Go <c>strconv.FormatFloat(v, 'f', 6, 64)</c>. .NET's invariant F6 rounds the exact binary value half-to-even
    /// like Go; only the infinities are spelled differently.
    /// </summary>
    public static string Number(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        _ when double.IsNaN(value) => "NaN",
        _ => value.ToString("F6", CultureInfo.InvariantCulture),
    };

    /// <summary>
    /// Go <c>time.Time.String()</c> of a UTC time, e.g. <c>2020-11-06 18:00:00 +0000 UTC</c>. koku strips the
    /// literal <c> +0000 UTC</c>, so the instant is always written in UTC. Sub-second values are rejected: Go would
    /// print a fraction, which no CMMO interval boundary has.
    /// </summary>
    public static string Timestamp(DateTimeOffset utc)
    {
        var t = utc.UtcDateTime;
        if (t.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            throw new ArgumentException($"CSV timestamps are whole seconds, got {utc:O}.", nameof(utc));
        }

        return t.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " +0000 UTC";
    }

    /// <summary><c>report_period_start</c>: the 1st of the (UTC) month of <paramref name="time"/>, 00:00:00.</summary>
    public static string ReportPeriodStart(DateTimeOffset time) => Timestamp(MonthStart(time));

    /// <summary><c>report_period_end</c>: the 1st of the following (UTC) month, 00:00:00.</summary>
    public static string ReportPeriodEnd(DateTimeOffset time) => Timestamp(MonthStart(time).AddMonths(1));

    private static DateTimeOffset MonthStart(DateTimeOffset time)
    {
        var t = time.UtcDateTime;
        return new DateTimeOffset(t.Year, t.Month, 1, 0, 0, 0, TimeSpan.Zero);
    }
}
