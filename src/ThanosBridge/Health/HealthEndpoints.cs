using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace ThanosBridge.Health;

/// <summary>
/// The probe endpoints. <c>/healthz</c> (liveness) answers 200 <c>ok</c> while the process serves requests and checks
/// nothing else. <c>/readyz</c> (readiness) answers from <see cref="ReadinessState"/> without running a check:
/// 200 when ready, else 503, both with
/// <c>{"status":"ready|unready","checks":[{"name":…,"status":"ok|failing|pending","error":…,"checked_at":…}]}</c>.
/// </summary>
public static class HealthEndpoints
{
    public const string LivenessPath = "/healthz";
    public const string ReadinessPath = "/readyz";

    public static Task WriteLivenessAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "text/plain; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        return context.Response.WriteAsync("ok", context.RequestAborted);
    }

    public static async Task WriteReadinessAsync(HttpContext context, ReadinessState state)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(state);
        var snapshot = state.Snapshot();
        context.Response.StatusCode = snapshot.Ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        await context.Response.Body.WriteAsync(ToJson(snapshot), context.RequestAborted);
    }

    /// <summary>The /readyz body.</summary>
    public static byte[] ToJson(ReadinessSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("status", snapshot.Ready ? "ready" : "unready");
            json.WriteStartArray("checks");
            foreach (var check in snapshot.Checks)
            {
                json.WriteStartObject();
                json.WriteString("name", check.Name);
                json.WriteString("status", check.Status switch
                {
                    CheckStatus.Ok => "ok",
                    CheckStatus.Failing => "failing",
                    _ => "pending",
                });
                json.WriteString("error", check.Error);
                json.WriteString("checked_at", check.CheckedAt?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
