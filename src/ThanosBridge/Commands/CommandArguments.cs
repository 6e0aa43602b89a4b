using System.Globalization;
using ThanosBridge.Core.Discovery;

namespace ThanosBridge.Commands;

/// <summary>A usage error: the message names the option and what is wrong with it.</summary>
internal sealed class UsageException(string message) : Exception(message);

/// <summary>
/// <c>--name value</c> options of one command, and the few value-less flags (<see cref="Flags"/>). Every option must be
/// known to the command, appear once, and have a value unless it is a flag; anything else is a
/// <see cref="UsageException"/> naming the option.
/// </summary>
internal sealed class CommandArguments
{
    /// <summary>The options that take no value (present means on), e.g. <c>clusters --register --dry-run</c>.</summary>
    public static readonly IReadOnlySet<string> Flags = new HashSet<string>(StringComparer.Ordinal) { "register", "dry-run" };

    private readonly Dictionary<string, string> values = new(StringComparer.Ordinal);

    private CommandArguments(string command) => Command = command;

    public string Command { get; }

    public static CommandArguments Parse(string command, IReadOnlyList<string> args, IReadOnlyCollection<string> known)
    {
        var parsed = new CommandArguments(command);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            var eq = arg.IndexOf('=', StringComparison.Ordinal);
            var name = eq > 0 ? arg[..eq] : arg;
            if (!name.StartsWith("--", StringComparison.Ordinal) || !known.Contains(name[2..]))
            {
                throw new UsageException($"{command}: unknown argument '{arg}' (options: {string.Join(", ", known.Select(k => "--" + k))})");
            }

            string value;
            if (Flags.Contains(name[2..]))
            {
                value = eq > 0 ? throw new UsageException($"{command}: {name} takes no value") : "true";
            }
            else if (eq > 0)
            {
                value = arg[(eq + 1)..];
            }
            else if (i + 1 < args.Count)
            {
                value = args[++i];
            }
            else
            {
                throw new UsageException($"{command}: {name} needs a value");
            }

            if (!parsed.values.TryAdd(name[2..], value))
            {
                throw new UsageException($"{command}: {name} is given twice");
            }
        }

        return parsed;
    }

    public string? Optional(string name) => values.GetValueOrDefault(name);

    /// <summary>Whether the value-less flag <paramref name="name"/> was given.</summary>
    public bool Flag(string name) => values.ContainsKey(name);

    public string Required(string name) =>
        values.TryGetValue(name, out var v) && v.Length > 0 ? v : throw new UsageException($"{Command}: --{name} is required");

    /// <summary>A UTC instant on a whole hour, written as ISO 8601 (e.g. 2026-11-20T00:00:00Z).</summary>
    public DateTimeOffset RequiredHour(string name)
    {
        var text = Required(name);
        var time = Time(name, text);
        if (time.Ticks % TimeSpan.TicksPerHour != 0)
        {
            throw new UsageException($"{Command}: --{name} '{text}' is not on a whole UTC hour");
        }

        return time.ToUniversalTime();
    }

    /// <summary>An ISO 8601 instant (UTC when no offset is given), or null when the option is absent.</summary>
    public DateTimeOffset? OptionalTime(string name) => Optional(name) is { } text ? Time(name, text) : null;

    /// <summary>A cluster id, parsed where it enters (the rule is <see cref="ClusterId"/>'s).</summary>
    public ClusterId? OptionalClusterId(string name) => Optional(name) is { } text ? ClusterIdFrom(name, text) : null;

    public ClusterId RequiredClusterId(string name) => ClusterIdFrom(name, Required(name));

    /// <summary>A date written YYYY-MM-DD, or null when the option is absent.</summary>
    public DateOnly? OptionalDate(string name)
    {
        var text = Optional(name);
        if (text is null)
        {
            return null;
        }

        return DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? day
            : throw new UsageException($"{Command}: --{name} '{text}' is not a date such as 2026-11-20");
    }

    private ClusterId ClusterIdFrom(string name, string text) =>
        ClusterId.TryParse(text, out var id, out var reason)
            ? id
            : throw new UsageException($"{Command}: --{name} is not a valid cluster id: {reason}");

    public int Int(string name, int fallback, int min, int max)
    {
        var text = Optional(name);
        if (text is null)
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v >= min && v <= max
            ? v
            : throw new UsageException($"{Command}: --{name} '{text}' must be a whole number from {min} to {max}");
    }

    private DateTimeOffset Time(string name, string text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            ? time.ToUniversalTime()
            : throw new UsageException($"{Command}: --{name} '{text}' is not an ISO 8601 time such as 2026-11-20T00:00:00Z");

    public bool Bool(string name, bool fallback)
    {
        var text = Optional(name);
        return text switch
        {
            null => fallback,
            "true" => true,
            "false" => false,
            _ => throw new UsageException($"{Command}: --{name} '{text}' must be true or false"),
        };
    }
}
