using System.Runtime.InteropServices;
using Confluent.Kafka;

namespace ThanosBridge.Adapters.Kafka;

/// <summary>
/// Loads the operating system's librdkafka (Debian/Ubuntu <c>librdkafka1</c>) into Confluent.Kafka.
/// The project restores an empty <c>librdkafka.redist</c> stand-in (docs/build.md), so the native library
/// be resolved before the first producer or consumer is created. Confluent.Kafka's own explicit-path loader
/// (<c>Library.Load</c>) P/Invokes <c>libdl</c>, which Debian 12 ships only as <c>libdl.so.2</c>, so instead its
/// <c>DllImport("librdkafka")</c> calls are routed to the system library with a <see cref="NativeLibrary"/> resolver.
/// </summary>
public static class SystemLibrdkafka
{
    private static readonly string[] Candidates =
    [
        "/usr/lib/x86_64-linux-gnu/librdkafka.so.1",
        "/usr/lib/aarch64-linux-gnu/librdkafka.so.1",
        "/usr/lib64/librdkafka.so.1",
        "/usr/lib/librdkafka.so.1",
    ];

    private static readonly Lock Gate = new();
    private static bool loaded;

    /// <summary>Loads the library once; later calls are no-ops.</summary>
    /// <exception cref="InvalidOperationException">No system librdkafka was found.</exception>
    public static void EnsureLoaded()
    {
        lock (Gate)
        {
            if (loaded)
            {
                return;
            }

            var path = Array.Find(Candidates, File.Exists)
                ?? throw new InvalidOperationException(
                    "librdkafka.so.1 was not found in the system library directories: install the librdkafka1 package");
            var handle = NativeLibrary.Load(path);
            NativeLibrary.SetDllImportResolver(typeof(Library).Assembly, (name, _, _) =>
                name.StartsWith("librdkafka", StringComparison.Ordinal) ? handle : IntPtr.Zero);
            loaded = true;
        }
    }

    /// <summary>The version string reported by the loaded native library, e.g. "2.0.2".</summary>
    public static string Version
    {
        get
        {
            EnsureLoaded();
            return Library.VersionString;
        }
    }
}
