using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using WireMock;

namespace ThanosBridge.TestSupport.Fakes;

/// <summary>
/// A WireMock.Net server on loopback standing in for the hub's Kubernetes API server, as far as the bridge uses it:
/// <c>GET /apis/cluster.open-cluster-management.io/v1/managedclusters</c> with <c>labelSelector</c> (equality,
/// inequality and existence requirements), <c>limit</c> and <c>continue</c>, answering a ManagedClusterList as the API
/// server does, a 403 Status when <see cref="Forbid"/> is set, and a 404 Status for any other path.
/// </summary>
public sealed class FakeKubernetesApi : LoopbackFake
{
    public const string ListPath = "/apis/cluster.open-cluster-management.io/v1/managedclusters";

    private readonly Lock gate = new();
    private readonly List<JsonObject> clusters = [];

    private FakeKubernetesApi()
    {
    }

    /// <summary>Answer every request with 403 Forbidden, as the API server does without the ClusterRole.</summary>
    public bool Forbid { get; set; }

    public static FakeKubernetesApi Start() => new();

    /// <summary>Adds ManagedClusters (see <see cref="ManagedClusterObjects"/>).</summary>
    public void Add(params JsonObject[] managedClusters)
    {
        lock (gate)
        {
            clusters.AddRange(managedClusters);
        }
    }

    /// <summary>Removes the ManagedCluster of that name (a detached cluster).</summary>
    public void Remove(string name)
    {
        lock (gate)
        {
            clusters.RemoveAll(c => c["metadata"]!["name"]!.GetValue<string>() == name);
        }
    }

    protected override Task<ResponseMessage> AnswerAsync(RecordedRequest request, string body) => Task.FromResult(Answer(request));

    private ResponseMessage Answer(RecordedRequest request)
    {
        var query = request.Query;
        List<JsonObject> all;
        lock (gate)
        {
            all = [.. clusters.Select(c => (JsonObject)c.DeepClone())];
        }

        if (Forbid)
        {
            return Status(403, "Forbidden",
                "managedclusters.cluster.open-cluster-management.io is forbidden: User \"system:serviceaccount:cost-mgmt:thanos-bridge\" cannot list " +
                "resource \"managedclusters\" in API group \"cluster.open-cluster-management.io\" at the cluster scope");
        }

        if (request.Method != "GET" || request.Path != ListPath)
        {
            return Status(404, "NotFound", "the server could not find the requested resource");
        }

        var selected = all.AsEnumerable();
        if (query.TryGetValue("labelSelector", out var selector) && selector.Length > 0)
        {
            var requirements = selector.Split(',');
            if (requirements.Any(r => r.Contains('(', StringComparison.Ordinal)))
            {
                return Status(400, "BadRequest", "FakeKubernetesApi supports only =, == , != and existence requirements");
            }

            selected = selected.Where(c => requirements.All(r => Matches(Labels(c), r.Trim())));
        }

        var items = selected.ToList();
        var offset = query.TryGetValue("continue", out var token) && token.Length > 0
            ? int.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(token)), CultureInfo.InvariantCulture)
            : 0;
        var limit = query.TryGetValue("limit", out var l) && l.Length > 0 ? int.Parse(l, CultureInfo.InvariantCulture) : int.MaxValue;
        var page = items.Skip(offset).Take(limit).ToList();
        var next = offset + page.Count < items.Count
            ? Convert.ToBase64String(Encoding.UTF8.GetBytes((offset + page.Count).ToString(CultureInfo.InvariantCulture)))
            : null;
        var metadata = new JsonObject { ["resourceVersion"] = "48213390" };
        if (next is not null)
        {
            metadata["continue"] = next;
            metadata["remainingItemCount"] = items.Count - offset - page.Count;
        }

        var list = new JsonObject
        {
            ["apiVersion"] = "cluster.open-cluster-management.io/v1",
            ["items"] = new JsonArray([.. page]),
            ["kind"] = "ManagedClusterList",
            ["metadata"] = metadata,
        };
        return Json(200, list);
    }

    private static Dictionary<string, string> Labels(JsonObject cluster) =>
        cluster["metadata"]?["labels"] is JsonObject labels
            ? labels.ToDictionary(kv => kv.Key, kv => kv.Value!.GetValue<string>(), StringComparer.Ordinal)
            : [];

    private static bool Matches(Dictionary<string, string> labels, string requirement)
    {
        if (requirement.Contains("!=", StringComparison.Ordinal))
        {
            var parts = requirement.Split("!=");
            return !labels.TryGetValue(parts[0].Trim(), out var v) || v != parts[1].Trim();
        }

        if (requirement.Contains('=', StringComparison.Ordinal))
        {
            var parts = requirement.Split('=', StringSplitOptions.RemoveEmptyEntries);
            return labels.TryGetValue(parts[0].Trim(), out var v) && v == parts[^1].Trim();
        }

        return requirement.StartsWith('!') ? !labels.ContainsKey(requirement[1..].Trim()) : labels.ContainsKey(requirement);
    }

    private static ResponseMessage Status(int code, string reason, string message) => Json(code, new JsonObject
    {
        ["kind"] = "Status",
        ["apiVersion"] = "v1",
        ["metadata"] = new JsonObject(),
        ["status"] = "Failure",
        ["message"] = message,
        ["reason"] = reason,
        ["details"] = new JsonObject { ["group"] = "cluster.open-cluster-management.io", ["kind"] = "managedclusters" },
        ["code"] = code,
    });

}
