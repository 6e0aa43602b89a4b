using System.Text;
using System.Text.Json;

namespace ThanosBridge.Adapters.Koku;

/// <summary>
/// The X-Rh-Identity header koku reads (koku-ingestion.md §4.4): base64 of
/// <c>{"identity":{"org_id","account_number","type":"User","user":{"username","email","is_org_admin":true}},"entitlements":{"cost_management":{"is_entitled":true}}}</c>.
/// An org admin qualifies for the sources permission through the chart's RBAC seed ("Sources administrator").
/// </summary>
public static class KokuIdentity
{
    public const string HeaderName = "X-Rh-Identity";

    /// <summary>The e-mail koku requires (non-null) for the identity's user.</summary>
    public static string Email(string username) => username + "@thanos-bridge.invalid";

    public static string Header(string orgId, string? account, string username)
    {
        var identity = new
        {
            identity = new
            {
                org_id = orgId,
                account_number = account,
                type = "User",
                user = new { username, email = Email(username), is_org_admin = true },
            },
            entitlements = new { cost_management = new { is_entitled = true } },
        };
        return Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(identity));
    }

    /// <summary>The user name and org of a stored header (api_sources.auth_header), or nulls when it cannot be read.</summary>
    public static (string? Username, string? OrgId) Read(string? header)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            return (null, null);
        }

        try
        {
            using var json = JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(header.Trim())));
            if (!json.RootElement.TryGetProperty("identity", out var identity) || identity.ValueKind != JsonValueKind.Object)
            {
                return (null, null);
            }

            var org = identity.TryGetProperty("org_id", out var o) && o.ValueKind == JsonValueKind.String ? o.GetString() : null;
            var user = identity.TryGetProperty("user", out var u) && u.ValueKind == JsonValueKind.Object
                       && u.TryGetProperty("username", out var n) && n.ValueKind == JsonValueKind.String
                ? n.GetString()
                : null;
            return (user, org);
        }
        catch (Exception e) when (e is FormatException or JsonException or ArgumentException)
        {
            return (null, null);
        }
    }
}
