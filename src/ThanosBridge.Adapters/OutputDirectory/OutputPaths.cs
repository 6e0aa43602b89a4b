namespace ThanosBridge.Adapters.OutputDirectory;

/// <summary>Maps object keys and request ids to paths that stay inside the output directory.</summary>
internal static class OutputPaths
{
    /// <summary><paramref name="key"/>'s '/'-separated segments below <paramref name="root"/>.</summary>
    /// <exception cref="ArgumentException">The key is absolute, has empty, "." or ".." segments, or a backslash.</exception>
    public static string ForKey(string root, string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var segments = key.Split('/');
        if (Array.Exists(segments, s => s.Length == 0 || s is "." or ".." || s.Contains('\\', StringComparison.Ordinal) || s.Contains('\0', StringComparison.Ordinal)))
        {
            throw new ArgumentException(
                $"object key \"{key}\" must be a relative path of non-empty segments without '.', '..' or '\\'", nameof(key));
        }

        return Path.Combine([root, .. segments]);
    }

    /// <summary>The announcement file of <paramref name="requestId"/>.</summary>
    /// <exception cref="ArgumentException">The request id holds characters other than letters, digits, '-' and '_'.</exception>
    public static string ForAnnouncement(string root, string requestId)
    {
        ArgumentException.ThrowIfNullOrEmpty(requestId);
        if (!requestId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            throw new ArgumentException(
                $"request id \"{requestId}\" must consist of letters, digits, '-' and '_' to be a file name", nameof(requestId));
        }

        return Path.Combine(root, "announcements", requestId + ".json");
    }
}
