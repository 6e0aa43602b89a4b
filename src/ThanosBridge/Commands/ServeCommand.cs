using ThanosBridge.Configuration;

namespace ThanosBridge.Commands;

/// <summary><c>serve</c>: the daemon. Wired in Hosting (scheduled delivery, health and metrics endpoints).</summary>
internal static class ServeCommand
{
    public static Task<int> RunAsync(BridgeSettings settings, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(time);
        throw new NotSupportedException("serve is not wired yet");
    }
}
