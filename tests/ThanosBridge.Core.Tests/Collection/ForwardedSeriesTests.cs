using ThanosBridge.Core.Collection;
using ThanosBridge.Core.Collection.Prometheus;

namespace ThanosBridge.Core.Tests.Collection;

/// <summary>
/// The conditioning of forwarded (hub) samples, measured against lives and CPU use whose truth is known: the samples a
/// hub holds are derived from the truth as ACM's metrics-collector forwards them (every ~301 s, the newest 30-second
/// scrape, lost cycles), and the range-query answer from those samples as Prometheus evaluates it (latest sample in the
/// lookback). The arithmetic under test is not used to make the expected values.
/// </summary>
public class ForwardedSeriesTests
{
    private static readonly DateTimeOffset Day = new(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(60);
    private static readonly Sampling Hub = Sampling.AcmDefault;
    private static readonly LabelSet Pod = LabelSet.Of(("container", "app"), ("namespace", "ns"), ("node", "n1"), ("pod", "p"));
    private static readonly LabelSet Background = LabelSet.Of(("container", "app"), ("namespace", "ns"), ("node", "n1"), ("pod", "always-there"));

    [Fact]
    public void Gauge_ManyLivesAtRandomPhases_CountsTheirTrueDurationOnAverage()
    {
        var random = new Random(7);
        double trueSeconds = 0, countedSeconds = 0;
        for (var i = 0; i < 300; i++)
        {
            var start = Day.AddSeconds(3600 + random.Next(0, 3600 * 8));
            var end = start.AddSeconds(random.Next(15 * 60, 4 * 3600));
            var samples = Forwarded(start, end, phase: random.Next(0, 301), lost: []);
            var counted = CountedSeconds(ConditionGauge(samples));

            trueSeconds += (end - start).TotalSeconds;
            countedSeconds += counted;
            // Each end of a life is uncertain by up to half an interval, plus the scrape offset and the step.
            counted.ShouldBe((end - start).TotalSeconds, 150 + 30 + 60 + 150 + 60, $"life {start:O}..{end:O}");
        }

        (countedSeconds / trueSeconds).ShouldBe(1.0, 0.005, "unbiased over many lives");
    }

    [Fact]
    public void Gauge_LostCycles_AreFilledWithTheValueBefore()
    {
        var start = Day.AddHours(2);
        var end = Day.AddHours(6);
        var complete = CountedSeconds(ConditionGauge(Forwarded(start, end, phase: 40, lost: [])));

        var withLoss = ConditionGauge(Forwarded(start, end, phase: 40, lost: [10, 11, 12, 30]));

        CountedSeconds(withLoss).ShouldBe(complete);
    }

    [Fact]
    public void Gauge_AGapLongerThanTheLongestFilled_IsNotFilled()
    {
        // Samples every 300 s, then nothing for 40 minutes: the series really went away.
        var samples = Enumerable.Range(0, 12).Select(i => Day.AddHours(2).AddSeconds(300 * i))
            .Concat(Enumerable.Range(0, 12).Select(i => Day.AddHours(3).AddMinutes(40).AddSeconds(300 * i)))
            .Select(t => (t, 1.0)).ToList();

        var points = ConditionGauge(samples).Series.Single().Samples.Select(s => s.Time).ToList();

        points.ShouldNotContain(Day.AddHours(3).AddMinutes(20));
        points.ShouldContain(Day.AddHours(3).AddMinutes(39));
    }

    [Fact]
    public void Gauge_PointsAreReportedHalfAnIntervalBeforeTheyWereEvaluated_AndClippedToTheHours()
    {
        var raw = new QueryResult([new Series(Pod, [new Sample(Day.AddSeconds(150).ToUnixTimeMilliseconds(), 5), new Sample(Day.AddHours(1).AddSeconds(150).ToUnixTimeMilliseconds(), 6)])], []);

        var result = ForwardedSeries.Gauge(raw, Hub.Shift, Step, Hub.MaxFilledGap, Day, Day.AddMinutes(59));

        result.Series.Single().Samples.ShouldBe([new Sample(Day.ToUnixTimeMilliseconds(), 5)]);
    }

    [Fact]
    public void Counter_ManyContainersAtRandomPhases_IntegrateTheirTrueCpuUse()
    {
        var random = new Random(11);
        double truth = 0, counted = 0;
        for (var i = 0; i < 200; i++)
        {
            var start = Day.AddSeconds(3600 + random.Next(0, 3600 * 8));
            var end = start.AddSeconds(random.Next(15 * 60, 6 * 3600));
            var cores = 0.1 + (random.NextDouble() * 2);
            // A rate of cores × (1 + ½ sin(τ / 900 s)): the counter is its integral.
            double Used(DateTimeOffset t)
            {
                var tau = Math.Clamp((t - start).TotalSeconds, 0, (end - start).TotalSeconds);
                return cores * (tau + (450 * (1 - Math.Cos(tau / 900))));
            }

            var samples = Forwarded(start, end, random.Next(0, 301), [], Used);

            // The cluster's other containers keep arriving: a container first seen then is new.
            var used = CpuSeconds(ConditionCounter([(Pod, samples), (Background, Forwarded(Day, Day.AddDays(1), 0, [], t => (t - Day).TotalSeconds))]), "p");

            truth += Used(end);
            counted += used;
            used.ShouldBe(Used(end), Used(end) * 0.05 + (cores * 200), $"container {start:O}..{end:O}");
        }

        (counted / truth).ShouldBe(1.0, 0.005);
    }

    [Fact]
    public void Counter_IncreaseAcrossLostCycles_IsKept()
    {
        var start = Day.AddHours(1);
        var end = Day.AddHours(5);
        double Used(DateTimeOffset t) => t <= start ? 0 : 0.5 * ((t < end ? t : end) - start).TotalSeconds;
        var background = Forwarded(Day, Day.AddDays(1), 0, [], t => (t - Day).TotalSeconds);
        var complete = CpuSeconds(ConditionCounter([(Pod, Forwarded(start, end, 100, [], Used)), (Background, background)]));

        var withLoss = CpuSeconds(ConditionCounter([(Pod, Forwarded(start, end, 100, [5, 6, 7, 20], Used)), (Background, background)]));

        complete.ShouldBe(Used(end), 0.5 * 300);

        withLoss.ShouldBe(complete, 1e-6);
    }

    [Fact]
    public void Counter_ARestartedContainerAndAResetCounter_AreBothCounted()
    {
        // One container runs 02:00-04:00 at 1 core, restarts as a new series (CRI-O: a new id) running 04:00-06:00 at 2
        // cores; a second container's counter resets in place at 05:00 (0.5 core throughout).
        DateTimeOffset From(int hour) => Day.AddHours(hour);
        double First(DateTimeOffset t) => Math.Clamp((t - From(2)).TotalSeconds, 0, 7200) * 1;
        double Second(DateTimeOffset t) => Math.Clamp((t - From(4)).TotalSeconds, 0, 7200) * 2;
        double Resetting(DateTimeOffset t) => t < From(5) ? (t - From(2)).TotalSeconds * 0.5 : (t - From(5)).TotalSeconds * 0.5;
        var second = LabelSet.Of(("container", "app"), ("id", "2"), ("namespace", "ns"), ("node", "n1"), ("pod", "p"));
        var other = LabelSet.Of(("container", "sidecar"), ("namespace", "ns"), ("node", "n1"), ("pod", "p"));

        var result = ConditionCounter(
        [
            (Pod, Forwarded(From(2), From(4), 20, [], First)),
            (second, Forwarded(From(4), From(6), 20, [], Second)),
            (other, Forwarded(From(2), From(6), 20, [], Resetting)),
            (Background, Forwarded(Day, Day.AddDays(1), 0, [], t => (t - Day).TotalSeconds)),
        ]);

        result.Series.Select(s => s.Labels).ShouldBe([LabelSet.Of(("namespace", "ns"), ("node", "n1"), ("pod", "always-there")), LabelSet.Of(("namespace", "ns"), ("node", "n1"), ("pod", "p"))]);
        CpuSeconds(result).ShouldBe(7200 + 14400 + (4 * 3600 * 0.5), 300 * 3.5);
    }

    [Fact]
    public void Counter_SeriesThatAppearWhenTheClusterDataBeginsOrAfterAnOutage_CountOnlyTheirLaterIncreases()
    {
        // Two long-running containers at 1 core each since the day before; the hub receives nothing before 03:00 (the
        // cluster joined ACM) and nothing from 10:00 to 11:00 (a hub outage longer than the margin and the filled gap).
        double Used(DateTimeOffset t) => (t - Day.AddDays(-1)).TotalSeconds;
        var lost = Enumerable.Range(0, 300).Where(c => c * 301 < 3 * 3600 || (c * 301 >= 10 * 3600 && c * 301 < 11 * 3600)).ToList();
        var other = LabelSet.Of(("container", "b"), ("namespace", "ns"), ("node", "n1"), ("pod", "q"));

        var result = ConditionCounter([(Pod, Forwarded(Day, Day.AddDays(1), 0, lost, Used)), (other, Forwarded(Day, Day.AddDays(1), 0, lost, Used))]);

        // The day's use at 1 core from 03:00, and across the outage, less the first sample's half interval: never the
        // counters' values from the day before.
        foreach (var series in result.Series)
        {
            (series.Samples.Sum(p => p.Value) * 60).ShouldBe(21 * 3600, 600);
        }
    }

    [Fact]
    public void CounterIntegration_ANewContainerRead_BeforeTheSeriesThatShowTheHubWasReceiving_StillCountsFromZero()
    {
        // A container starts at 06:00 at 1 core. Streamed, its series may come first in the answer, before the series that
        // tell the hub was receiving the cluster's counters at 06:00; whether it is new is decided when the answer is complete.
        DateTimeOffset From(int hour) => Day.AddHours(hour);
        double Used(DateTimeOffset t) => Math.Clamp((t - From(6)).TotalSeconds, 0, 4 * 3600);
        var newcomer = Evaluated(Pod, Forwarded(From(6), From(10), 20, [], Used));
        var background = Evaluated(Background, Forwarded(Day, Day.AddDays(1), 0, [], t => (t - Day).TotalSeconds));

        var counted = new[] { new[] { newcomer, background }, [background, newcomer] }.Select(order =>
        {
            var integration = Integration();
            foreach (var series in order)
            {
                integration.Add(series);
            }

            return CpuSeconds(integration.Result());
        }).ToList();

        counted[0].ShouldBe(4 * 3600, 300, "the first sample's half interval is counted: the container is new");
        counted[1].ShouldBe(counted[0]);
    }

    [Fact]
    public void CounterIntegration_Restart_ForgetsWhatAnAbandonedAttemptHadRead()
    {
        // A retried request restarts its sink: the series of the cut attempt must not be counted twice.
        double Used(DateTimeOffset t) => (t - Day).TotalSeconds * 2;
        var series = Evaluated(Pod, Forwarded(Day, Day.AddDays(1), 0, [], Used));
        var integration = Integration();
        integration.Add(series);
        integration.Restart();
        integration.Add(series);

        CpuSeconds(integration.Result()).ShouldBe(CpuSeconds(ConditionCounter([(Pod, Forwarded(Day, Day.AddDays(1), 0, [], Used))])));
        // The day's use at 2 cores, less the first sample's interval (nothing before it: it may have counted before the day).
        CpuSeconds(integration.Result()).ShouldBe(2 * 86400, 2 * 600);
    }

    /// <summary>
    /// What the hub holds of a series that lives [start, end): the spoke scrapes every 30 s (offset 7 s), and the collector,
    /// every 301 s from <paramref name="phase"/>, forwards the newest scrape of a series that is still alive. Cycles whose
    /// index is in <paramref name="lost"/> never arrive.
    /// </summary>
    private static List<(DateTimeOffset Time, double Value)> Forwarded(
        DateTimeOffset start, DateTimeOffset end, int phase, IReadOnlyCollection<int> lost, Func<DateTimeOffset, double>? value = null)
    {
        var samples = new List<(DateTimeOffset, double)>();
        var cycle = 0;
        for (var tick = Day.AddSeconds(phase); tick < Day.AddDays(1); tick = tick.AddSeconds(301), cycle++)
        {
            var scrape = Day.AddSeconds(Math.Floor((tick - Day.AddSeconds(7)).TotalSeconds / 30) * 30 + 7);
            if (scrape >= start && scrape < end && !lost.Contains(cycle))
            {
                samples.Add((scrape, value?.Invoke(scrape) ?? 1.0));
            }
        }

        return samples;
    }

    /// <summary>A Prometheus range query over the samples: at each step, the newest sample within the lookback.</summary>
    private static Series Evaluate(LabelSet labels, List<(DateTimeOffset Time, double Value)> samples, DateTimeOffset start, DateTimeOffset end, TimeSpan lookback)
    {
        var points = new List<Sample>();
        for (var t = start; t <= end; t += Step)
        {
            var latest = samples.LastOrDefault(s => s.Time <= t && s.Time > t - lookback);
            if (latest != default)
            {
                points.Add(new Sample(t.ToUnixTimeMilliseconds(), latest.Value));
            }
        }

        return new Series(labels, points);
    }

    private static QueryResult ConditionGauge(List<(DateTimeOffset Time, double Value)> samples)
    {
        var margin = Hub.MarginFor(Step);
        var series = Evaluate(Pod, samples, Day - margin + Hub.Shift, Day.AddDays(1) - Step + margin + Hub.Shift, Hub.Interval);
        return ForwardedSeries.Gauge(new QueryResult([series], []), Hub.Shift, Step, Hub.MaxFilledGap, Day, Day.AddDays(1) - Step);
    }

    private static QueryResult ConditionCounter(IEnumerable<(LabelSet Labels, List<(DateTimeOffset Time, double Value)> Samples)> containers)
    {
        var integration = Integration();
        foreach (var (labels, samples) in containers)
        {
            integration.Add(Evaluated(labels, samples));
        }

        return integration.Result();
    }

    /// <summary>The grid a counter is queried on: the day with the margin on each side, no shift.</summary>
    private static (DateTimeOffset Start, DateTimeOffset End, int Steps) CounterGrid()
    {
        var margin = Hub.MarginFor(Step);
        var start = Day - margin;
        var end = Day.AddDays(1) - Step + margin;
        return (start, end, (int)((end - start) / Step) + 1);
    }

    private static Series Evaluated(LabelSet labels, List<(DateTimeOffset Time, double Value)> samples)
    {
        var (start, end, _) = CounterGrid();
        return Evaluate(labels, samples, start, end, Hub.Interval);
    }

    private static ForwardedSeries.CounterIntegration Integration()
    {
        var (start, _, steps) = CounterGrid();
        return new ForwardedSeries.CounterIntegration(["pod", "namespace", "node"], Hub, start, Step, steps, Day, Day.AddDays(1) - Step);
    }

    private static double CountedSeconds(QueryResult result) => result.Series.Sum(s => s.Samples.Count) * Step.TotalSeconds;

    private static double CpuSeconds(QueryResult result, string pod = "p") =>
        result.Series.Where(s => s.Labels["pod"] == pod).Sum(s => s.Samples.Sum(p => p.Value)) * Step.TotalSeconds;
}
