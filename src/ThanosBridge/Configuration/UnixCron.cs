using System.Globalization;
using System.Text;
using Quartz;

namespace ThanosBridge.Configuration;

/// <summary>
/// Converts a standard 5-field Unix cron expression (minute hour day-of-month month day-of-week, as in crontab(5)
/// and Kubernetes CronJobs) into the equivalent Quartz expression (seconds first; day-of-week 1-7 with 1 = Sunday;
/// <c>?</c> in the day field that is not restricted). Accepted per field: <c>*</c>, numbers, ranges <c>a-b</c>,
/// steps after <c>*</c> or a range (<c>*/15</c>, <c>0-30/10</c>), comma lists, month names JAN-DEC and day names
/// SUN-SAT (any case), day-of-week 0-7 (0 and 7 are Sunday), and the macros @hourly, @daily, @midnight, @weekly,
/// @monthly, @yearly and @annually. Cron's rule that a job runs when <em>either</em> restricted day field matches has
/// no Quartz equivalent, so an expression restricting both day-of-month and day-of-week is rejected.
/// </summary>
public static class UnixCron
{
    private static readonly Dictionary<string, string> Macros = new(StringComparer.OrdinalIgnoreCase)
    {
        ["@hourly"] = "0 * * * *",
        ["@daily"] = "0 0 * * *",
        ["@midnight"] = "0 0 * * *",
        ["@weekly"] = "0 0 * * 0",
        ["@monthly"] = "0 0 1 * *",
        ["@yearly"] = "0 0 1 1 *",
        ["@annually"] = "0 0 1 1 *",
    };

    private static readonly string[] MonthNames = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
    private static readonly string[] DayNames = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

    /// <summary>The Quartz expression that fires at the same instants as <paramref name="expression"/>.</summary>
    /// <exception cref="FormatException">Not a valid 5-field Unix cron expression; the message says why, in one line.</exception>
    public static string ToQuartz(string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        var text = expression.Trim();
        if (text.StartsWith('@'))
        {
            text = Macros.TryGetValue(text, out var expanded)
                ? expanded
                : throw new FormatException($"unknown macro {text}; known: {string.Join(", ", Macros.Keys)}");
        }

        var fields = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != 5)
        {
            throw new FormatException(string.Create(CultureInfo.InvariantCulture,
                $"it has {fields.Length} fields, not 5 (minute hour day-of-month month day-of-week)"));
        }

        var minute = Render(Expand(fields[0], "minute", 0, 59, names: null), 0, 59, fields[0]);
        var hour = Render(Expand(fields[1], "hour", 0, 23, names: null), 0, 23, fields[1]);
        var dayOfMonth = Render(Expand(fields[2], "day-of-month", 1, 31, names: null), 1, 31, fields[2]);
        var month = Render(Expand(fields[3], "month", 1, 12, MonthNames, nameBase: 1), 1, 12, fields[3]);
        var unixDays = Expand(fields[4], "day-of-week", 0, 7, DayNames);

        string quartzDayOfMonth;
        string quartzDayOfWeek;
        if (fields[4] == "*")
        {
            quartzDayOfMonth = dayOfMonth;
            quartzDayOfWeek = "?";
        }
        else if (fields[2] == "*")
        {
            quartzDayOfMonth = "?";
            // Unix 0..7 (0 and 7 Sunday) to Quartz 1..7 (1 Sunday).
            var quartzDays = new SortedSet<int>(unixDays.Select(d => (d % 7) + 1));
            quartzDayOfWeek = quartzDays.Count == 7 ? "*" : Compress(quartzDays);
        }
        else
        {
            throw new FormatException(
                $"it restricts both day-of-month ({fields[2]}) and day-of-week ({fields[4]}); cron then runs on either, " +
                "which Quartz cannot express: restrict one and leave the other *");
        }

        var quartz = $"0 {minute} {hour} {quartzDayOfMonth} {month} {quartzDayOfWeek}";
        // Quartz 4.7.3 (this registry's build) has no IsValidExpression; TryParse is its validating entry point.
        return CronExpression.TryParse(quartz, out _)
            ? quartz
            : throw new FormatException($"it converts to the Quartz expression \"{quartz}\", which Quartz rejects");
    }

    /// <summary>Every value the field selects, checked against the field's bounds.</summary>
    private static SortedSet<int> Expand(string field, string name, int min, int max, string[]? names, int nameBase = 0)
    {
        var values = new SortedSet<int>();
        foreach (var item in field.Split(','))
        {
            if (item.Length == 0)
            {
                throw new FormatException($"{name} \"{field}\" has an empty list item");
            }

            var slash = item.IndexOf('/', StringComparison.Ordinal);
            var range = slash < 0 ? item : item[..slash];
            var step = 1;
            if (slash >= 0)
            {
                var stepText = item[(slash + 1)..];
                if (!int.TryParse(stepText, NumberStyles.None, CultureInfo.InvariantCulture, out step) || step < 1 || step > max)
                {
                    throw new FormatException($"{name} \"{item}\": the step {stepText} is not between 1 and {max}");
                }

                if (range != "*" && !range.Contains('-', StringComparison.Ordinal))
                {
                    throw new FormatException($"{name} \"{item}\": a step follows * or a range (e.g. {range}-{max}/{stepText})");
                }
            }

            int low;
            int high;
            if (range == "*")
            {
                (low, high) = (min, max);
            }
            else if (range.IndexOf('-', StringComparison.Ordinal) is var dash and > 0)
            {
                low = Value(range[..dash], name, min, max, names, nameBase);
                high = Value(range[(dash + 1)..], name, min, max, names, nameBase);
                if (low > high)
                {
                    throw new FormatException($"{name} \"{item}\": the range runs backwards");
                }
            }
            else
            {
                low = high = Value(range, name, min, max, names, nameBase);
            }

            for (var v = low; v <= high; v += step)
            {
                values.Add(v);
            }
        }

        return values;
    }

    private static int Value(string text, string name, int min, int max, string[]? names, int nameBase)
    {
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            return value >= min && value <= max
                ? value
                : throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"{name} {value} is not between {min} and {max}"));
        }

        var index = names is null ? -1 : Array.FindIndex(names, n => n.Equals(text, StringComparison.OrdinalIgnoreCase));
        return index >= 0
            ? index + nameBase
            : throw new FormatException($"{name} \"{text}\" is not a number{(names is null ? "" : " or a name " + names[0] + "-" + names[^1])}");
    }

    /// <summary>The field as Quartz reads it: unchanged when numeric (Quartz reads *, a-b, */n and lists as cron does), else the values.</summary>
    private static string Render(SortedSet<int> values, int min, int max, string field)
    {
        if (field.All(c => char.IsAsciiDigit(c) || c is ',' or '-' or '/' or '*'))
        {
            return field;
        }

        return values.Count == max - min + 1 ? "*" : Compress(values);
    }

    /// <summary>1,2,3,5 → 1-3,5.</summary>
    private static string Compress(SortedSet<int> values)
    {
        var text = new StringBuilder();
        var list = values.ToList();
        for (var i = 0; i < list.Count;)
        {
            var j = i;
            while (j + 1 < list.Count && list[j + 1] == list[j] + 1)
            {
                j++;
            }

            if (text.Length > 0)
            {
                text.Append(',');
            }

            text.Append(list[i].ToString(CultureInfo.InvariantCulture));
            if (j > i)
            {
                text.Append('-').Append(list[j].ToString(CultureInfo.InvariantCulture));
            }

            i = j + 1;
        }

        return text.ToString();
    }
}
