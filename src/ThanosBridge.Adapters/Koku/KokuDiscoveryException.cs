namespace ThanosBridge.Adapters.Koku;

/// <summary>
/// koku's database could not be read. The message names the server and the database, e.g.
/// <c>reading the OCP sources from koku's database costonprem_koku at 10.0.0.5:5432 (DATABASE_SERVICE_HOST:DATABASE_SERVICE_PORT) failed: …</c>;
/// it never holds the password or the connection string.
/// </summary>
#pragma warning disable CA1032 // The identifying fields are required; the parameterless constructors would drop them.
public sealed class KokuDiscoveryException : Exception
#pragma warning restore CA1032
{
    public KokuDiscoveryException(string host, int port, string database, string reason, Exception? innerException = null)
        : base(
            $"reading the OCP sources from koku's database {database} at {host}:{port} " +
            $"(DATABASE_SERVICE_HOST:DATABASE_SERVICE_PORT) failed: {reason}",
            innerException)
    {
        Host = host;
        Port = port;
        Database = database;
    }

    /// <summary>DATABASE_SERVICE_HOST.</summary>
    public string Host { get; }

    /// <summary>DATABASE_SERVICE_PORT.</summary>
    public int Port { get; }

    /// <summary>DATABASE_NAME.</summary>
    public string Database { get; }
}
