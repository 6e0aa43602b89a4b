using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;
using ThanosBridge.TestSupport.Bridge;
using WireMock;

namespace ThanosBridge.TestSupport.Fakes;

/// <summary>How <see cref="FakeKokuApi"/> answers source creations.</summary>
public enum FakeKokuMode
{
    /// <summary>As koku: 201 and the rows, or 400 for a duplicate or a malformed request, 401/403 for a bad identity.</summary>
    Normal,

    /// <summary>403 for everyone, as koku answers an identity without the sources permission.</summary>
    Forbidden,

    /// <summary>503, as the route answers while koku-api is down.</summary>
    Unavailable,
}

/// <summary>One source creation koku accepted.</summary>
public sealed record FakeKokuSource(int SourceId, Guid Uuid, string Name, string ClusterId, string OrgId, string? Account, string IdentityHeader);

/// <summary>
/// A WireMock.Net server on loopback standing in for koku's sources API (koku-ingestion.md §4.4):
/// <c>POST /api/cost-management/v1/sources/</c> with an X-Rh-Identity header and
/// <c>{"name", "source_type": "OCP", "authentication": {"credentials": {"cluster_id"}}}</c>. Like koku it checks the
/// identity (org_id, user name, non-null e-mail, cost management entitlement) and the body (no other credential keys),
/// answers 400 "Cost management does not allow duplicate accounts…" for a cluster id koku has already (OCP duplicates
/// are checked across orgs: koku's provider serializer filters by customer only for other types), and 201 with the
/// source. With a <see cref="KokuTestDatabase"/> it writes the rows koku writes (customer when new, provider
/// authentication, provider, source with source_id = max + 1 and the creating identity in auth_header), so the
/// bridge's discovery finds the cluster; without one it keeps them in memory.
/// </summary>
public sealed class FakeKokuApi : LoopbackFake
{
    public const string SourcesPath = "/api/cost-management/v1/sources/";

    /// <summary>koku's answer to a duplicate (ProviderErrors.DUPLICATE_AUTH "source.duplicate"), through its exception handler.</summary>
    public const string DuplicateDetail =
        "Cost management does not allow duplicate accounts. A source already exists with these details. Edit source settings to configure a new source.";

    private readonly string? kokuConnectionString;
    private readonly Lock gate = new();
    private readonly List<FakeKokuSource> created = [];
    private readonly HashSet<string> existing = new(StringComparer.Ordinal);

    private FakeKokuApi(string? kokuConnectionString) => this.kokuConnectionString = kokuConnectionString;

    public FakeKokuMode Mode { get; set; }

    /// <summary>The sources created, in order.</summary>
    public IReadOnlyList<FakeKokuSource> Created
    {
        get
        {
            lock (gate)
            {
                return [.. created];
            }
        }
    }

    /// <param name="database">koku's tables to write to; null keeps the sources in memory. The API root is <see cref="LoopbackFake.BaseUrl"/> (THANOS_BRIDGE_KOKU_API_URL).</param>
    public static FakeKokuApi Start(KokuTestDatabase? database = null) => new(database?.ConnectionString);

    /// <summary>Writes the rows into the koku database of that connection string (the demo's, scripts/demo.sh).</summary>
    public static FakeKokuApi StartOn(string kokuConnectionString) => new(kokuConnectionString);

    /// <summary>Without a database: a cluster id koku has already (any org).</summary>
    public void AddExisting(string clusterId)
    {
        lock (gate)
        {
            existing.Add(clusterId);
        }
    }

    protected override async Task<ResponseMessage> AnswerAsync(RecordedRequest request, string body)
    {
        if (Mode == FakeKokuMode.Unavailable)
        {
            return Text(503, "upstream connect error or disconnect/reset before headers. reset reason: connection failure");
        }

        if (request.Method != "POST" || request.Path.TrimEnd('/') + "/" != SourcesPath)
        {
            return Errors(404, "detail", "Not found.");
        }

        var header = request.Header("X-Rh-Identity");
        var identity = ReadIdentity(header);
        if (identity is null)
        {
            return Errors(401, "detail", "Authentication credentials were not provided.");
        }

        if (Mode == FakeKokuMode.Forbidden || !identity.Value.Entitled)
        {
            return Errors(403, "detail", "You do not have permission to perform this action.");
        }

        if (ReadBody(body) is not { } source)
        {
            return Errors(400, "authentication", "Expected {\"name\", \"source_type\": \"OCP\", \"authentication\": {\"credentials\": {\"cluster_id\"}}}.");
        }

        var made = kokuConnectionString is null
            ? CreateInMemory(source.Name, source.ClusterId, identity.Value.OrgId, identity.Value.Account, header!)
            : await CreateInDatabaseAsync(kokuConnectionString, source.Name, source.ClusterId, identity.Value.OrgId, identity.Value.Account, header!);
        if (made is null)
        {
            return Errors(400, "source.duplicate", DuplicateDetail);
        }

        lock (gate)
        {
            created.Add(made);
        }

        return Json(201, new JsonObject
        {
            ["id"] = made.SourceId,
            ["uuid"] = made.Uuid.ToString(),
            ["name"] = made.Name,
            ["source_type"] = "OCP",
            ["source_type_id"] = "1",
            ["source_ref"] = made.ClusterId,
            ["authentication"] = new JsonObject { ["credentials"] = new JsonObject { ["cluster_id"] = made.ClusterId } },
            ["billing_source"] = new JsonObject(),
            ["koku_uuid"] = made.Uuid.ToString(),
            ["org_id"] = made.OrgId,
            ["account_id"] = made.Account,
            ["paused"] = false,
        });
    }

    private FakeKokuSource? CreateInMemory(string name, string clusterId, string orgId, string? account, string header)
    {
        lock (gate)
        {
            if (!existing.Add(clusterId))
            {
                return null;
            }

            return new FakeKokuSource(created.Count + 1, Guid.NewGuid(), name, clusterId, orgId, account, header);
        }
    }

    private static async Task<FakeKokuSource?> CreateInDatabaseAsync(string connectionString, string name, string clusterId, string orgId, string? account, string header)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var credentials = JsonSerializer.Serialize(new { cluster_id = clusterId });
        // One writer at a time, as koku's serializer runs in one transaction per request.
        await Execute("LOCK TABLE public.api_sources IN EXCLUSIVE MODE", null);
        // koku's identity middleware creates the customer (and its tenant schema) of an org it has not seen.
        await Execute("""
            INSERT INTO public.api_customer (date_created, date_updated, uuid, account_id, org_id, schema_name)
            VALUES (now(), now(), gen_random_uuid(), @account, @org, 'org' || @org) ON CONFLICT (org_id) DO NOTHING
            """, null);
        var customer = (int)(await Scalar("SELECT id FROM public.api_customer WHERE org_id = @org"))!;
        var authentication = await Scalar("SELECT id FROM public.api_providerauthentication WHERE credentials = @credentials::jsonb")
                             ?? await Scalar("INSERT INTO public.api_providerauthentication (uuid, credentials) VALUES (gen_random_uuid(), @credentials::jsonb) RETURNING id");
        if (await Scalar("SELECT 1 FROM public.api_provider WHERE authentication_id = @authentication AND billing_source_id IS NULL", ("authentication", authentication!)) is not null)
        {
            return null;
        }

        var uuid = Guid.NewGuid();
        await Execute("""
            INSERT INTO public.api_provider (uuid, name, type, authentication_id, billing_source_id, customer_id, setup_complete,
                                             created_timestamp, active, paused, additional_context)
            VALUES (@uuid, @name, 'OCP', @authentication, NULL, @customer, false, now(), true, false, '{}');
            """, ("uuid", uuid), ("authentication", authentication!), ("customer", customer));
        var sourceId = (int)(await Scalar("""
            INSERT INTO public.api_sources (source_id, source_uuid, name, auth_header, "offset", account_id, org_id, source_type, authentication,
                                            billing_source, koku_uuid, provider_id, paused, pending_delete, pending_update, out_of_order_delete,
                                            status, additional_context, updated_timestamp)
            SELECT COALESCE(max(source_id), 0) + 1, @uuid, @name, @header, COALESCE(max("offset"), 0) + 1, @account, @org, 'OCP',
                   jsonb_build_object('credentials', @credentials::jsonb), '{}'::jsonb, @uuid::text, @uuid, false, false, false, false,
                   '{}'::jsonb, '{}'::jsonb, now()
            FROM public.api_sources
            RETURNING source_id;
            """, ("uuid", uuid), ("header", header)))!;
        await transaction.CommitAsync();
        return new FakeKokuSource(sourceId, uuid, name, clusterId, orgId, account, header);

        NpgsqlCommand Command(string sql, (string Name, object Value)[] extra)
        {
            var command = new NpgsqlCommand(sql, connection, transaction);
            command.Parameters.AddWithValue("org", orgId);
            command.Parameters.AddWithValue("account", (object?)account ?? DBNull.Value);
            command.Parameters.AddWithValue("name", name);
            command.Parameters.AddWithValue("credentials", credentials);
            foreach (var (key, value) in extra)
            {
                command.Parameters.AddWithValue(key, value);
            }

            return command;
        }

        async Task<object?> Scalar(string sql, params (string Name, object Value)[] extra)
        {
            await using var command = Command(sql, extra);
            return await command.ExecuteScalarAsync();
        }

        async Task Execute(string sql, params (string Name, object Value)[]? extra)
        {
            await using var command = Command(sql, extra ?? []);
            await command.ExecuteNonQueryAsync();
        }
    }

    private static (string OrgId, string? Account, bool Entitled)? ReadIdentity(string? header)
    {
        try
        {
            var json = JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(header ?? "")));
            var identity = json?["identity"];
            var org = identity?["org_id"]?.GetValue<string>();
            var user = identity?["user"];
            if (string.IsNullOrEmpty(org) || string.IsNullOrEmpty(user?["username"]?.GetValue<string>()) || user["email"] is null)
            {
                return null;
            }

            var entitled = json?["entitlements"]?["cost_management"]?["is_entitled"]?.GetValue<bool>() == true;
            return (org, identity!["account_number"]?.GetValue<string>(), entitled);
        }
        catch (Exception e) when (e is FormatException or JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    private static (string Name, string ClusterId)? ReadBody(string body)
    {
        try
        {
            var json = JsonNode.Parse(body) as JsonObject;
            var credentials = json?["authentication"]?["credentials"] as JsonObject;
            var name = json?["name"]?.GetValue<string>();
            var clusterId = credentials?["cluster_id"]?.GetValue<string>();
            return json?["source_type"]?.GetValue<string>() == "OCP" && !string.IsNullOrEmpty(name) && !string.IsNullOrEmpty(clusterId)
                   && credentials!.Count == 1
                ? (name, clusterId)
                : null;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    private static ResponseMessage Errors(int status, string source, string detail) =>
        Json(status, new JsonObject
        {
            ["errors"] = new JsonArray(new JsonObject { ["detail"] = detail, ["source"] = source, ["status"] = status }),
        });
}
