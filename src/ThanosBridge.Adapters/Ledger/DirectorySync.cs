using System.Runtime.InteropServices;
using System.Text;

namespace ThanosBridge.Adapters.Ledger;

/// <summary>
/// Flushes a directory to disk (open + fsync + close through libc), so that a rename or a new file in it survives a
/// power loss. .NET has no API for this: it refuses to open a directory as a file. Windows needs no flush (NTFS
/// journals directory changes); elsewhere a missing libc turns the flush off once, with a report to the caller.
/// </summary>
internal static class DirectorySync
{
    private static int unavailable;

    /// <summary>Flushes <paramref name="directory"/>.</summary>
    /// <returns>The reason, the first time flushing turns out to be unavailable; otherwise null.</returns>
    /// <exception cref="IOException">The directory could not be opened or flushed.</exception>
    public static string? Flush(string directory)
    {
        if (OperatingSystem.IsWindows() || Volatile.Read(ref unavailable) == 1)
        {
            return null;
        }

        try
        {
            FlushCore(directory);
            return null;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return Interlocked.Exchange(ref unavailable, 1) == 0 ? e.Message : null;
        }
    }

    private static void FlushCore(string directory)
    {
        var path = Encoding.UTF8.GetBytes(directory + "\0");
        var fd = Native.Open(path, 0 /* O_RDONLY */);
        if (fd < 0)
        {
            throw new IOException($"Cannot open directory {directory} to flush it (errno {Marshal.GetLastPInvokeError()}).");
        }

        try
        {
            if (Native.Fsync(fd) != 0)
            {
                throw new IOException($"Flushing directory {directory} failed (errno {Marshal.GetLastPInvokeError()}).");
            }
        }
        finally
        {
            _ = Native.Close(fd);
        }
    }

    private static class Native
    {
        // byte[] (a NUL-terminated UTF-8 path) needs no string marshalling.
        [DllImport("libc", EntryPoint = "open", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int Open(byte[] path, int flags);

        [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int Fsync(int fd);

        [DllImport("libc", EntryPoint = "close", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int Close(int fd);
    }
}
