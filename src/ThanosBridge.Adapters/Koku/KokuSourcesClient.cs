using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using ThanosBridge.Core.Discovery;

namespace ThanosBridge.Adapters.Koku;

/// <summary>
/// Creates OCP sources through koku's sources API (koku-ingestion.md §4.4), never through koku's tables:
/// <c>POST {THANOS_BRIDGE_KOKU_API_URL}/api/cost-management/v1/sources/</c> with the bridge's X-Rh-Identity and
/// <c>{"name", "source_type": "OCP", "authentication": {"credentials": {"cluster_id"}}}</c>. koku answers 201 with the
/// source, 400 "Cost management does not allow duplicate accounts…" when the org has the cluster already (reported as
/// already registered), 401/403 when the identity may not create sources. No retries: the next run tries again.
/// </summary>
public sealed class KokuSourcesClient : IKokuSourceRegistrar
{
    /// <summary>The words of koku's duplicate answer (ProviderErrors.DUPLICATE_AUTH: "…does not allow duplicate accounts. A source/An integration already exists…").</summary>
    internal const string DuplicateMarker = "does not allow duplicate accounts";

    private readonly HttpClient http;
    private readonly KokuApiOptions options;
    private readonly ILogger<KokuSourcesClient> logger;
    private readonly string identity;

    /// <param name="http">Used as is; the caller sets its timeout (<see cref="KokuApiOptions.Timeout"/>) and TLS.</param>
    public KokuSourcesClient(HttpClient http, KokuApiOptions options, ILogger<KokuSourcesClient> logger)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        this.http = http;
        this.options = options;
        this.logger = logger;
        identity = KokuIdentity.Header(options.OrgId, options.Account, options.Username);
    }

    public async Task<SourceRegistrationResult> RegisterAsync(string name, string clusterId, CancellationToken cancellationToken)
    {
        var url = options.SourcesUrl;
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = JsonContent.Create(new
            {
                name,
                source_type = "OCP",
                authentication = new { credentials = new { cluster_id = clusterId } },
            }),
        };
        request.Headers.Add(KokuIdentity.HeaderName, identity);
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            var answer = $"POST {url} answered {(int)response.StatusCode} {response.StatusCode}";
            if (response.IsSuccessStatusCode)
            {
                var sourceId = SourceId(body);
                Log.KokuSourceCreated(logger, clusterId, sourceId ?? "?", url);
                return new SourceRegistrationResult(SourceRegistrationStatus.Created, null, answer, sourceId);
            }

            var message = ErrorMessage(body);
            var status = (int)response.StatusCode;
            return status switch
            {
                400 when message.Contains(DuplicateMarker, StringComparison.OrdinalIgnoreCase) =>
                    new SourceRegistrationResult(SourceRegistrationStatus.AlreadyExists, null, $"{answer}: {message}"),
                401 or 403 => Failed(RegistrationFailureReasons.KokuForbidden,
                    $"{answer}: {message} (the identity of org {options.OrgId}, user {options.Username}, needs the cost management " +
                    "entitlement and the sources write permission: an org admin through the RBAC seed's \"Sources administrator\" role)"),
                404 => Failed(RegistrationFailureReasons.KokuRejected,
                    $"{answer}: {message} (is THANOS_BRIDGE_KOKU_API_URL koku's API root, without /api/cost-management?)"),
                >= 500 => Failed(RegistrationFailureReasons.KokuUnavailable, $"{answer}: {message}"),
                _ => Failed(RegistrationFailureReasons.KokuRejected, $"{answer}: {message}"),
            };
        }
        catch (HttpRequestException e)
        {
            return Failed(RegistrationFailureReasons.KokuUnavailable, $"POST {url} failed: {e.Message}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Failed(RegistrationFailureReasons.KokuUnavailable, $"POST {url} got no answer within {options.Timeout.TotalSeconds:F0} s");
        }
    }

    private static SourceRegistrationResult Failed(string reason, string detail) => new(SourceRegistrationStatus.Failed, reason, detail);

    /// <summary>The <c>id</c> of koku's 201 answer (a number or a string), or null.</summary>
    private static string? SourceId(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("id", out var id)
                ? id.ValueKind == JsonValueKind.String ? id.GetString() : id.GetRawText()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// koku's error answer, <c>{"errors": [{"detail", "source", "status"}]}</c> (its custom exception handler), as
    /// "source: detail; …", or the body itself; one line of at most 400 characters.
    /// </summary>
    internal static string ErrorMessage(string body)
    {
        var text = body;
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("errors", out var errors)
                && errors.ValueKind == JsonValueKind.Array)
            {
                text = string.Join("; ", errors.EnumerateArray().Select(e =>
                {
                    var detail = e.TryGetProperty("detail", out var d) ? (d.ValueKind == JsonValueKind.String ? d.GetString() : d.GetRawText()) : e.GetRawText();
                    return e.TryGetProperty("source", out var s) && s.ValueKind == JsonValueKind.String ? $"{s.GetString()}: {detail}" : detail;
                }));
            }
        }
        catch (JsonException)
        {
            // Not JSON (a proxy's page): the body as it is.
        }

        text = string.IsNullOrWhiteSpace(text) ? "(no body)" : text.ReplaceLineEndings(" ").Trim();
        return text.Length > 400 ? text[..400] + "…" : text;
    }
}
