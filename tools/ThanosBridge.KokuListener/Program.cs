using Npgsql;
using ThanosBridge.KokuListener;

// The demo's koku listener: one pass over platform.upload.announce as group hccm-group, like koku's listener, then exit.
// Reads KAFKA_BOOTSTRAP_SERVERS and DATABASE_* from the environment (the stack's env file).
// Usage: ThanosBridge.KokuListener PREFIX   (only announcements of payloads under PREFIX)
var prefix = args.Length > 0 ? args[0] : "thanos-bridge";
string Env(string name) => Environment.GetEnvironmentVariable(name) ?? throw new InvalidOperationException($"{name} is not set");
var connection = new NpgsqlConnectionStringBuilder
{
    Host = Env("DATABASE_SERVICE_HOST"),
    Port = int.Parse(Env("DATABASE_SERVICE_PORT"), System.Globalization.CultureInfo.InvariantCulture),
    Database = Env("DATABASE_NAME"),
    Username = Env("DATABASE_USER"),
    Password = Env("DATABASE_PASSWORD"),
}.ConnectionString;
await using var koku = NpgsqlDataSource.Create(connection);
using var http = new HttpClient();
var listener = new KokuListenerStandIn(Env("KAFKA_BOOTSTRAP_SERVERS"), "hccm-group", koku, http, prefix + "/");
var outcomes = await listener.ProcessAvailableAsync(_ => ListenerAction.Complete, CancellationToken.None);
Console.WriteLine($"koku listener stand-in: {outcomes.Count} announcement(s) of payloads under {prefix}/ read: " +
    (outcomes.Count == 0 ? "none new" : string.Join(", ", outcomes.GroupBy(o => o.Result).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Count()} {g.Key}"))));
foreach (var o in outcomes.Where(o => o.Result != "completed" && o.Result != "already_processed"))
{
    Console.WriteLine($"  cluster {o.Key} request {o.RequestId}: {o.Result}{(o.Detail is null ? "" : $" ({o.Detail})")}");
}
