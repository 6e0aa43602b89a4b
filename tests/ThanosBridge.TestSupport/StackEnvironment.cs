namespace ThanosBridge.TestSupport;

/// <summary>
/// The endpoints of the local real-service stack, read from the env file that <c>scripts/stack.sh up</c> writes
/// (<c>.stack/stack.env</c> at the repository root, or the file named by <c>THANOS_BRIDGE_STACK_ENV</c>).
/// Integration tests fail, rather than skip, when the stack is missing: CI must always run them.
/// </summary>
public sealed class StackEnvironment
{
    private static readonly Lazy<StackEnvironment> Instance = new(Load);

    private readonly IReadOnlyDictionary<string, string> values;

    private StackEnvironment(string path, IReadOnlyDictionary<string, string> values)
    {
        Path = path;
        this.values = values;
    }

    public static StackEnvironment Current => Instance.Value;

    public string Path { get; }

    public IReadOnlyDictionary<string, string> Values => values;

    public string this[string key] => values.TryGetValue(key, out var v)
        ? v
        : throw new InvalidOperationException($"{key} is missing from {Path}: rerun scripts/stack.sh up");

    public Uri ThanosQueryUrl => new(this["THANOS_QUERY_URL"]);

    public string KafkaBootstrapServers => this["KAFKA_BOOTSTRAP_SERVERS"];

    public Uri S3Endpoint => new(this["S3_ENDPOINT"]);

    public string S3Bucket => this["THANOS_BRIDGE_S3_BUCKET"];

    /// <summary>Npgsql connection string for koku's database.</summary>
    public string KokuConnectionString =>
        $"Host={this["DATABASE_SERVICE_HOST"]};Port={this["DATABASE_SERVICE_PORT"]};Database={this["DATABASE_NAME"]};" +
        $"Username={this["DATABASE_USER"]};Password={this["DATABASE_PASSWORD"]}";

    public static string RepositoryRoot
    {
        get
        {
            var stamped = typeof(StackEnvironment).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
                .Cast<System.Reflection.AssemblyMetadataAttribute>()
                .FirstOrDefault(a => a.Key == "RepositoryRoot")?.Value;
            if (stamped is not null && File.Exists(System.IO.Path.Combine(stamped, "ThanosBridge.slnx")))
            {
                return stamped;
            }

            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(System.IO.Path.Combine(dir.FullName, "ThanosBridge.slnx")))
                {
                    return dir.FullName;
                }
            }

            throw new InvalidOperationException("ThanosBridge.slnx not found above " + AppContext.BaseDirectory);
        }
    }

    private static StackEnvironment Load()
    {
        var path = Environment.GetEnvironmentVariable("THANOS_BRIDGE_STACK_ENV")
            ?? System.IO.Path.Combine(RepositoryRoot, ".stack", "stack.env");
        if (!File.Exists(path))
        {
            throw new InvalidOperationException(
                $"stack env file {path} not found: start the local services with scripts/stack.sh up");
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in File.ReadAllLines(path))
        {
            var line = raw.Trim();
            var eq = line.IndexOf('=', StringComparison.Ordinal);
            if (line.Length == 0 || line.StartsWith('#') || eq <= 0)
            {
                continue;
            }

            var key = line[..eq].Trim();
            if (key.StartsWith("export ", StringComparison.Ordinal))
            {
                key = key["export ".Length..].Trim();
            }

            values[key] = line[(eq + 1)..].Trim().Trim('"', '\'');
        }

        return new StackEnvironment(path, values);
    }
}
