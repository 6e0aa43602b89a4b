using System.Runtime.InteropServices;
using Confluent.Kafka;

namespace ThanosBridge.Adapters.Kafka;

/// <summary>
/// Loads the librdkafka the application ships (the <c>librdkafka.redist</c> package's native files) into Confluent.Kafka,
/// and never the operating system's.
/// </summary>
/// <remarks>
/// Left to itself, Confluent.Kafka's <c>DllImport("librdkafka")</c> tries the bundled <c>librdkafka.so</c> first. That
/// build links <c>libsasl2.so.3</c> (the RHEL name; Debian ships <c>libsasl2.so.2</c>), so on Debian it fails to load and
/// the runtime falls back to the system's search path: with Debian's <c>librdkafka-dev</c> installed (the local mock
/// broker is built against it) a process silently ran librdkafka 2.0.2 instead of the pinned 2.16.0. This resolver takes
/// only the files that ship with the application, in Confluent's own order: <c>librdkafka.so</c>, then
/// <c>centos8-librdkafka.so</c>, which links no SASL library (PLAIN and SCRAM are built into librdkafka; only Kerberos,
/// GSSAPI, needs the first). <c>Library.Load(path)</c> is not used: its Linux loader P/Invokes <c>libdl</c>, which
/// Debian 12 ships only as <c>libdl.so.2</c>.
/// </remarks>
public static class BundledLibrdkafka
{
    /// <summary>The bundled builds, in the order Confluent.Kafka tries them on glibc Linux.</summary>
    private static readonly string[] FileNames = ["librdkafka.so", "centos8-librdkafka.so"];

    private static readonly Lock Gate = new();
    private static string? loadedPath;

    /// <summary>Loads the library once; later calls return the same path.</summary>
    /// <returns>The full path of the file loaded.</returns>
    /// <exception cref="InvalidOperationException">No bundled librdkafka could be loaded (the reasons are in the message).</exception>
    public static string EnsureLoaded()
    {
        lock (Gate)
        {
            if (loadedPath is not null)
            {
                return loadedPath;
            }

            // The host lists the application's own native directories here (from its .deps.json): runtimes/<rid>/native/
            // of a portable build, or the application directory when published for one platform.
            var directories = (AppContext.GetData("NATIVE_DLL_SEARCH_DIRECTORIES") as string ?? AppContext.BaseDirectory)
                .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
            var failures = new List<string>();
            foreach (var fileName in FileNames)
            {
                foreach (var directory in directories)
                {
                    var path = Path.Combine(directory, fileName);
                    if (!File.Exists(path))
                    {
                        continue;
                    }

                    try
                    {
                        var handle = NativeLibrary.Load(path);
                        NativeLibrary.SetDllImportResolver(typeof(Library).Assembly, (name, _, _) =>
                            name.Contains("librdkafka", StringComparison.Ordinal) ? handle : IntPtr.Zero);
                        loadedPath = path;
                        return path;
                    }
                    catch (DllNotFoundException ex)
                    {
                        failures.Add($"{path}: {ex.Message.Split('\n', 2)[^1].Trim()}");
                    }
                }
            }

            throw new InvalidOperationException(failures.Count == 0
                ? $"no bundled librdkafka ({string.Join(" or ", FileNames)}) in {string.Join(", ", directories)}: the build must include the librdkafka.redist package's native files for {RuntimeInformation.RuntimeIdentifier}"
                : $"no bundled librdkafka could be loaded: {string.Join("; ", failures)}");
        }
    }

    /// <summary>The version the loaded library reports, e.g. "2.16.0".</summary>
    public static string Version
    {
        get
        {
            EnsureLoaded();
            return Library.VersionString;
        }
    }
}
