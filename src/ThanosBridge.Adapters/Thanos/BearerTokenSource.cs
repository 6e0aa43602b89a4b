namespace ThanosBridge.Adapters.Thanos;

/// <summary>
/// The bearer token to send: fixed, or read from a file and re-read when the file changes. Projected
/// service-account tokens rotate by swapping a symlinked directory, so the final link target is resolved before
/// each stat and its path is part of the change check.
/// </summary>
internal sealed class BearerTokenSource
{
    private readonly string? fixedToken;
    private readonly string? path;
    private readonly Lock gate = new();
    private FileVersion? cachedVersion;
    private string? cachedToken;

    public BearerTokenSource(ThanosClientOptions options)
    {
        fixedToken = string.IsNullOrEmpty(options.BearerToken) ? null : options.BearerToken;
        path = string.IsNullOrEmpty(options.BearerTokenFile) ? null : options.BearerTokenFile;
    }

    /// <summary>The token last read or configured, to keep it out of error texts.</summary>
    public string? Known
    {
        get
        {
            lock (gate)
            {
                return fixedToken ?? cachedToken;
            }
        }
    }

    /// <summary>The token for the next request, or null when none is configured.</summary>
    /// <param name="reloaded">True when the file was (re-)read for this call.</param>
    /// <exception cref="IOException">The token file is missing or unreadable (retried as a transport failure).</exception>
    public string? Current(out bool reloaded)
    {
        reloaded = false;
        if (path is null)
        {
            return fixedToken;
        }

        var version = FileVersion.Of(path);
        lock (gate)
        {
            if (cachedToken is not null && version == cachedVersion)
            {
                return cachedToken;
            }
        }

        var token = File.ReadAllText(path).Trim();
        lock (gate)
        {
            cachedToken = token;
            cachedVersion = version;
        }

        reloaded = true;
        return token;
    }

    private sealed record FileVersion(string Target, DateTime LastWriteUtc, long Length)
    {
        public static FileVersion Of(string path)
        {
            var target = File.ResolveLinkTarget(path, returnFinalTarget: true)?.FullName ?? Path.GetFullPath(path);
            var info = new FileInfo(target);
            return info.Exists
                ? new FileVersion(target, info.LastWriteTimeUtc, info.Length)
                : throw new FileNotFoundException("bearer token file not found", path);
        }
    }
}
