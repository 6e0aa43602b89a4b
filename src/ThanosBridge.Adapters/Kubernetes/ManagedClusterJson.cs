using System.Text.Json;
using ThanosBridge.Core.Discovery;

namespace ThanosBridge.Adapters.Kubernetes;

/// <summary>
/// Reads a ManagedClusterList page as the API server returns it: <c>items[].metadata.{name,labels}</c>,
/// <c>items[].status.clusterClaims[{name,value}]</c>, <c>items[].status.conditions[{type,status,reason,message}]</c> and
/// <c>metadata.continue</c>. Fields it does not use are ignored; a missing status is a cluster that has not reported yet.
/// </summary>
internal static class ManagedClusterJson
{
    /// <summary>Appends the page's clusters to <paramref name="into"/>; returns the continue token (null or empty on the last page).</summary>
    /// <exception cref="InvalidDataException">The page is not a list of objects with a name.</exception>
    public static string? ReadPage(JsonElement page, List<ManagedCluster> into)
    {
        if (page.ValueKind != JsonValueKind.Object || !page.TryGetProperty("items", out var items)
            || items.ValueKind is not (JsonValueKind.Array or JsonValueKind.Null))
        {
            throw new InvalidDataException("the answer is not a ManagedClusterList (no items array)");
        }

        if (items.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in items.EnumerateArray())
            {
                into.Add(ReadCluster(item));
            }
        }

        return String(Property(page, "metadata"), "continue");
    }

    /// <summary>The message of a Kubernetes Status answer, or the body itself (one line, at most 300 characters).</summary>
    public static string StatusMessage(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return "(no body)";
        }

        try
        {
            using var status = JsonDocument.Parse(body);
            if (String(status.RootElement, "message") is { Length: > 0 } message)
            {
                return OneLine(message);
            }
        }
        catch (JsonException)
        {
            // Not JSON (a proxy's HTML page, say): the body as it is.
        }

        return OneLine(body);
    }

    private static ManagedCluster ReadCluster(JsonElement item)
    {
        var metadata = Property(item, "metadata");
        var name = String(metadata, "name");
        if (string.IsNullOrEmpty(name))
        {
            throw new InvalidDataException("a ManagedCluster has no metadata.name");
        }

        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (Property(metadata, "labels") is { ValueKind: JsonValueKind.Object } labelObject)
        {
            foreach (var label in labelObject.EnumerateObject())
            {
                labels[label.Name] = label.Value.ValueKind == JsonValueKind.String ? label.Value.GetString()! : label.Value.GetRawText();
            }
        }

        var status = Property(item, "status");
        var claim = Array(status, "clusterClaims")
            .Where(c => String(c, "name") == RegistrationRules.ClusterIdClaim)
            .Select(c => String(c, "value"))
            .FirstOrDefault();
        var conditions = Array(status, "conditions")
            .Select(c => new ManagedClusterCondition(String(c, "type") ?? "", String(c, "status") ?? "", String(c, "reason"), String(c, "message")))
            .ToList();
        return new ManagedCluster(name, labels, claim, conditions);
    }

    private static JsonElement Property(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) ? value : default;

    private static string? String(JsonElement element, string name) =>
        Property(element, name) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    private static JsonElement[] Array(JsonElement element, string name) =>
        Property(element, name) is { ValueKind: JsonValueKind.Array } array ? [.. array.EnumerateArray()] : [];

    private static string OneLine(string text)
    {
        var line = text.ReplaceLineEndings(" ").Trim();
        return line.Length > 300 ? line[..300] + "…" : line;
    }
}
