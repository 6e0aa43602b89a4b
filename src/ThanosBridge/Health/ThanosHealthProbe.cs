using System.Net;
using System.Net.Http.Headers;
using ThanosBridge.Adapters.Thanos;

namespace ThanosBridge.Health;

/// <summary>
/// Checks that Thanos Query answers: GET <c>api/v1/status/buildinfo</c> (Prometheus and Thanos Query both serve it),
/// or <c>-/ready</c> when that path is unknown (404), with the bridge's TLS settings and bearer token. Any 2xx passes.
/// The error text names the path and status only, never the URL's credentials or the token.
/// </summary>
public sealed class ThanosHealthProbe
{
    public const string BuildInfoPath = "api/v1/status/buildinfo";
    public const string ReadyPath = "-/ready";

    private readonly HttpClient http;
    private readonly ThanosClientOptions options;
    private readonly Uri baseUrl;
    private string? fileToken;

    /// <param name="options">Base URL and bearer token.</param>
    /// <param name="http">The process's Thanos client (<see cref="ThanosHttpClientFactory.CreateHttpClient"/>), shared with
    /// the queries; its owner disposes it.</param>
    public ThanosHealthProbe(ThanosClientOptions options, HttpClient http)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(http);
        this.options = options;
        this.http = http;
        var url = options.BaseUrl ?? throw new ArgumentException("BaseUrl is required", nameof(options));
        baseUrl = url.AbsoluteUri.EndsWith('/') ? url : new Uri(url.AbsoluteUri + "/");
    }

    /// <summary>The token and the URL, for <see cref="HealthErrorText"/> to keep out of error texts.</summary>
    public IEnumerable<string> Secrets => [options.BearerToken ?? "", Volatile.Read(ref fileToken) ?? "", options.BaseUrl?.UserInfo ?? ""];

    public DependencyProbe ToProbe() => new(DependencyProbe.Thanos, CheckAsync);

    /// <exception cref="HttpRequestException">No answer, or not a 2xx answer.</exception>
    /// <exception cref="IOException">The token file cannot be read.</exception>
    public async Task CheckAsync(CancellationToken cancellationToken)
    {
        var path = BuildInfoPath;
        var status = await GetAsync(path, cancellationToken);
        if (status == HttpStatusCode.NotFound)
        {
            path = ReadyPath;
            status = await GetAsync(path, cancellationToken);
        }

        if ((int)status is < 200 or > 299)
        {
            throw new HttpRequestException($"Thanos answered HTTP {(int)status} {status} to GET {path}", null, status);
        }
    }

    private async Task<HttpStatusCode> GetAsync(string path, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(baseUrl, path));
        var token = await ReadTokenAsync(cancellationToken);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        return response.StatusCode;
    }

    private async Task<string?> ReadTokenAsync(CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(options.BearerToken))
        {
            return options.BearerToken;
        }

        if (string.IsNullOrEmpty(options.BearerTokenFile))
        {
            return null;
        }

        // Re-read every check: projected service-account tokens rotate. A check every 30 s makes that cheap.
        var token = (await File.ReadAllTextAsync(options.BearerTokenFile, cancellationToken)).Trim();
        Volatile.Write(ref fileToken, token);
        return token.Length == 0 ? null : token;
    }
}
