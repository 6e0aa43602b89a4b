using System.Globalization;

namespace ThanosBridge.Core.Collection;

/// <summary>
/// The one rule for the step of the cost queries, shared by THANOS_BRIDGE_STEP_SECONDS, <c>replay --step</c> and the
/// collector: whole seconds from <see cref="MinSeconds"/> to an hour that divide an hour, so that every hour holds the
/// same whole number of steps (a report's seconds are Σ × step per hour).
/// </summary>
public static class QueryStep
{
    public const int MinSeconds = 10;

    public const int MaxSeconds = 3600;

    /// <summary>
    /// Why a step of <paramref name="seconds"/> within <see cref="MinSeconds"/>..<see cref="MaxSeconds"/> is not valid, or
    /// null: the rule the settings and <c>replay</c> add to their range check.
    /// </summary>
    public static string? Problem(int seconds) =>
        seconds > 0 && 3600 % seconds != 0 ? string.Create(CultureInfo.InvariantCulture, $"{seconds} does not divide 3600") : null;

    /// <summary>Why <paramref name="step"/> is not a valid step, range included, or null when it is.</summary>
    public static string? Problem(TimeSpan step)
    {
        if (step.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{step.TotalSeconds} s is not a whole number of seconds");
        }

        var seconds = step.TotalSeconds;
        return seconds is < MinSeconds or > MaxSeconds
            ? string.Create(CultureInfo.InvariantCulture, $"{seconds} is not between {MinSeconds} and {MaxSeconds}")
            : Problem((int)seconds);
    }
}
