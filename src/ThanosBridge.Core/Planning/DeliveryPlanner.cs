using ThanosBridge.Core.Delivery;
using ThanosBridge.Core.Ledger;

namespace ThanosBridge.Core.Planning;

/// <summary>One cluster-day a run works on.</summary>
/// <param name="Day">The UTC day.</param>
/// <param name="AvailableHours">Complete, settled hours of the day from 00:00 (1–24): the size of a new snapshot.</param>
/// <param name="State">The ledger's record of the day, if any.</param>
/// <param name="Forced">Asked for explicitly (<c>once --day</c>): re-send the latest snapshot when there is nothing new.</param>
public sealed record DayPlan(DateOnly Day, int AvailableHours, ClusterDayState? State, bool Forced)
{
    /// <summary>An unfinished snapshot must be finished (uploaded, announced) before anything else happens to the day.</summary>
    public bool HasPending => State?.Pending is not null;

    /// <summary>Whether a new snapshot with more hours than the last one is due (koku replaces a day only with more hours).</summary>
    public bool NeedsNewSnapshot => AvailableHours > (State?.Latest?.Hours ?? 0);
}

/// <summary>
/// Decides which cluster-days a run delivers (pure: time comes in as an argument). A payload covers 00:00 up to the
/// last complete hour that ended at least <see cref="DeliveryOptions.Settle"/> ago; a day gets a new snapshot only
/// when it has more hours than the last one (koku-ingestion.md §1.10: equal or fewer hours are skipped); past days
/// are caught up back to <see cref="DeliveryOptions.BackfillDays"/>, never before koku's retention.
/// </summary>
public static class DeliveryPlanner
{
    /// <summary>The end (exclusive) of the last hour that is complete and settled at <paramref name="now"/>.</summary>
    public static DateTimeOffset SettledUntil(DateTimeOffset now, TimeSpan settle)
    {
        var settled = now.ToUniversalTime() - settle;
        return new DateTimeOffset(settled.Ticks - (settled.Ticks % TimeSpan.TicksPerHour), TimeSpan.Zero);
    }

    /// <summary>
    /// The oldest day koku still accepts: its listener drops a payload whose end lies before the end of the month
    /// <c>retention</c> months ago (koku-ingestion.md §1.5 step 3), i.e. before the 1st of the month retention−1 months back.
    /// </summary>
    public static DateOnly OldestAcceptedDay(DateTimeOffset now, int retentionMonths)
    {
        var utc = now.UtcDateTime;
        return new DateOnly(utc.Year, utc.Month, 1).AddMonths(-(Math.Max(retentionMonths, 1) - 1));
    }

    /// <summary>The days to work on, oldest first.</summary>
    /// <param name="days">The ledger's records of this cluster (any order; days outside the window are ignored).</param>
    /// <param name="onlyDay">Restrict the run to this day (and force a re-send when nothing is new).</param>
    public static IReadOnlyList<DayPlan> Plan(
        DateTimeOffset now, DeliveryOptions options, IReadOnlyList<ClusterDayState> days, DateOnly? onlyDay = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(days);
        var settledUntil = SettledUntil(now, options.Settle);
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var oldest = OldestAcceptedDay(now, options.KokuRetentionMonths);
        var first = today.AddDays(-options.BackfillDays);
        if (first < oldest)
        {
            first = oldest;
        }

        var byDay = days.ToDictionary(d => d.Day);
        var plans = new List<DayPlan>();
        for (var day = onlyDay ?? first; day <= (onlyDay ?? today); day = day.AddDays(1))
        {
            if (day < oldest)
            {
                continue;
            }

            var start = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            var available = (int)Math.Clamp((settledUntil - start).TotalHours, 0, 24);
            var state = byDay.GetValueOrDefault(day);
            var plan = new DayPlan(day, available, state, Forced: onlyDay is not null);
            if (plan.HasPending || (available > 0 && (plan.NeedsNewSnapshot || plan.Forced)))
            {
                plans.Add(plan);
            }
        }

        return plans;
    }
}
