// Over 300 lines on purpose: one HTTP exchange with Thanos (request, attempt, body streaming, error mapping); the
// parts that stand alone are apart (ThanosResilience, BearerTokenSource, ThanosHttpClientFactory, the exceptions).
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.Timeout;
using ThanosBridge.Core.Collection.Prometheus;

namespace ThanosBridge.Adapters.Thanos;

/// <summary>
/// Client of the Thanos Query HTTP API (the Prometheus API plus Thanos's <c>dedup</c> and <c>partial_response</c>
/// parameters, which Prometheus ignores). Queries are form-encoded POSTs, as CMMO sends them; on 405 the client
/// switches to GET for the rest of its lifetime. Every attempt, response body included, runs inside the
/// resilience pipeline of <see cref="ThanosResilience"/>.
/// </summary>
public sealed class ThanosQueryClient : IThanosQueryClient
{
    /// <summary>Name of the <see cref="System.Diagnostics.ActivitySource"/> with one client span per call.</summary>
    public const string ActivitySourceName = "ThanosBridge.Thanos";

    // Error bodies are read only this far: enough for any Prometheus error, and a bound on HTML error pages.
    private const int MaxErrorBodyBytes = 64 * 1024;

    private static readonly ActivitySource Activities = new(ActivitySourceName);
    private static readonly MediaTypeWithQualityHeaderValue AcceptJson = new("application/json");

    private readonly HttpClient http;
    private readonly ThanosClientOptions options;
    private readonly TimeProvider timeProvider;
    private readonly ILogger logger;
    private readonly Uri baseUrl;
    private readonly BearerTokenSource tokens;
    private readonly ResiliencePipeline pipeline;
    private volatile bool useGet;

    public ThanosQueryClient(
        HttpClient httpClient,
        ThanosClientOptions options,
        TimeProvider timeProvider,
        ILogger<ThanosQueryClient>? logger = null)
        : this(httpClient, options, timeProvider, logger, Random.Shared.NextDouble)
    {
    }

    /// <param name="random">Source of the retry jitter, in [0, 1); tests fix it.</param>
    internal ThanosQueryClient(
        HttpClient httpClient,
        ThanosClientOptions options,
        TimeProvider timeProvider,
        ILogger? logger,
        Func<double> random)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        // The settings loader validated every value against its environment variable (THANOS_QUERY_*).
        _ = options.BaseUrl ?? throw new ArgumentException("BaseUrl is required", nameof(options));
        http = httpClient;
        this.options = options;
        this.timeProvider = timeProvider;
        this.logger = logger ?? NullLogger.Instance;
        baseUrl = WithTrailingSlash(options.BaseUrl!);
        tokens = new BearerTokenSource(options);
        pipeline = ThanosResilience.Build(options, timeProvider, random, this.logger);
    }

    public async Task<QueryResult> QueryRangeAsync(QueryRangeRequest request, CancellationToken cancellationToken)
    {
        var answer = new SeriesList();
        var warnings = await QueryRangeAsync(request, answer, bodyCopy: null, cancellationToken);
        return new QueryResult(answer.Series, warnings);
    }

    public async Task<IReadOnlyList<string>> QueryRangeAsync(
        QueryRangeRequest request, ISeriesSink sink, IResponseBodyCopy? bodyCopy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(sink);
        List<KeyValuePair<string, string>> parameters =
        [
            new("query", request.Expression),
            new("start", FormatUnixSeconds(request.Start)),
            new("end", FormatUnixSeconds(request.End)),
            new("step", FormatSeconds(request.Step)),
            new("dedup", "true"),
            new("partial_response", "false"),
        ];
        if (request.Lookback is { } lookback)
        {
            parameters.Add(new("lookback_delta", FormatSeconds(lookback)));
        }

        var call = new ThanosCall(request.QueryName, request.ClusterId.Value, "api/v1/query_range", allowPost: true, [.. parameters]);
        // The body is read inside each attempt; a retried attempt reads the answer again from its start.
        var kept = await ExecuteAsync(call, (body, ct) =>
        {
            sink.Restart();
            return bodyCopy is null
                ? PrometheusJsonReader.ReadQueryRangeAsync(body, sink.Add, ct)
                : ReadCopyingAsync(body, sink, bodyCopy, ct);
        }, cancellationToken);
        if (kept.Count == 0)
        {
            return kept;
        }

        var warnings = Scrub(string.Join("; ", kept));
        if (options.FailOnWarnings)
        {
            throw new ThanosQueryException(call.QueryName, call.ClusterId, ThanosFailureReason.Warnings, call.Attempts,
                HttpStatusCode.OK, errorText: warnings);
        }

        Log.WarningsKept(logger, call.QueryName, call.ClusterId, kept.Count, warnings);
        return kept;
    }

    public Task<IReadOnlyList<string>> LabelValuesAsync(string labelName, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(labelName);
        var call = new ThanosCall($"label_values({labelName})", "",
            $"api/v1/label/{Uri.EscapeDataString(labelName)}/values", allowPost: false, []);
        return ExecuteAsync(call, PrometheusJsonReader.ReadLabelValuesAsync, cancellationToken);
    }

    /// <summary>
    /// Parses the body as it is copied to <paramref name="bodyCopy"/>, then copies what follows the response object (the
    /// parser stops at its end; trailing whitespace is still part of the body), so that the copy is the whole body.
    /// </summary>
    private static async Task<IReadOnlyList<string>> ReadCopyingAsync(
        Stream body, ISeriesSink sink, IResponseBodyCopy bodyCopy, CancellationToken cancellationToken)
    {
        Stream copy;
        try
        {
            copy = bodyCopy.Restart();
        }
        catch (IOException e)
        {
            // Not the body's I/O error: not a transport failure, and not retried.
            throw new ResponseBodyCopyException("could not start the copy of the response body: " + e.Message, e);
        }

        await using var tee = new TeeStream(body, copy);
        var warnings = await PrometheusJsonReader.ReadQueryRangeAsync(tee, sink.Add, cancellationToken);
        await tee.CopyToAsync(Stream.Null, cancellationToken);
        return warnings;
    }

    /// <summary>Unix seconds, shortest decimal form with millisecond resolution (e.g. <c>1604685600</c>).</summary>
    internal static string FormatUnixSeconds(DateTimeOffset time) =>
        (time.ToUnixTimeMilliseconds() / 1000m).ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>Seconds, shortest decimal form (e.g. <c>60</c>, <c>0.5</c>).</summary>
    internal static string FormatSeconds(TimeSpan duration) =>
        ((decimal)duration.Ticks / TimeSpan.TicksPerSecond).ToString("0.#######", CultureInfo.InvariantCulture);

    private static Uri WithTrailingSlash(Uri url)
    {
        // Relative paths resolve against the last '/', so "https://host/thanos" would lose "thanos".
        var builder = new UriBuilder(url);
        if (!builder.Path.EndsWith('/'))
        {
            builder.Path += "/";
        }

        return builder.Uri;
    }

    private static ThanosFailureReason ReasonForStatus(HttpStatusCode status) => (int)status switch
    {
        429 => ThanosFailureReason.TooManyRequests,
        400 => ThanosFailureReason.BadData,
        >= 500 => ThanosFailureReason.ServerError,
        >= 400 => ThanosFailureReason.ClientError,
        _ => ThanosFailureReason.BadResponse,
    };

    // Only for an error envelope under a 2xx status, which Prometheus itself never sends; non-2xx go by status.
    private static ThanosFailureReason ReasonForErrorType(string errorType) => errorType switch
    {
        "bad_data" => ThanosFailureReason.BadData,
        "execution" or "not_found" => ThanosFailureReason.ClientError,
        "timeout" => ThanosFailureReason.Timeout,
        "canceled" or "internal" or "unavailable" => ThanosFailureReason.ServerError,
        _ => ThanosFailureReason.BadResponse,
    };

    private async Task<T> ExecuteAsync<T>(
        ThanosCall call, Func<Stream, CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        using var activity = Activities.StartActivity("thanos " + call.Path, ActivityKind.Client);
        activity?.SetTag("thanos.query", call.QueryName);
        activity?.SetTag("thanos.cluster_id", call.ClusterId);
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(ThanosResilience.CallKey, call);
        try
        {
            return await pipeline.ExecuteAsync(
                static (ctx, state) => state.Client.AttemptAsync(state.Call, state.Read, ctx.CancellationToken),
                context,
                (Client: this, Call: call, Read: read));
        }
        catch (ThanosAttemptException e)
        {
            throw Failed(activity, call, e.Reason, e.StatusCode, e.ErrorType, e.ErrorText, e.InnerException ?? e);
        }
        catch (TimeoutRejectedException e)
        {
            var text = string.Create(CultureInfo.InvariantCulture,
                $"no complete response within {options.QueryTimeout.TotalSeconds:0.###} s");
            throw Failed(activity, call, ThanosFailureReason.Timeout, null, null, text, e);
        }
        catch (Exception e) when (e is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
        {
            throw Failed(activity, call, ThanosFailureReason.Transport, null, null, Scrub(e.Message), e);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private static ThanosQueryException Failed(
        Activity? activity, ThanosCall call, ThanosFailureReason reason, HttpStatusCode? status, string? errorType,
        string errorText, Exception inner)
    {
        activity?.SetStatus(ActivityStatusCode.Error, reason.ToString());
        return new ThanosQueryException(call.QueryName, call.ClusterId, reason, call.Attempts, status, errorType, errorText, inner);
    }

    private async ValueTask<T> AttemptAsync<T>(
        ThanosCall call, Func<Stream, CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref call.Attempts);
        using var response = await SendAsync(call, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw await FailureOfAsync(response, cancellationToken);
        }

        var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        await using (body)
        {
            try
            {
                return await read(body, cancellationToken);
            }
            catch (PrometheusApiException e)
            {
                throw new ThanosAttemptException(ReasonForErrorType(e.ErrorType), response.StatusCode, e.ErrorType, Scrub(e.Error));
            }
            catch (PrometheusResponseFormatException e)
            {
                throw new ThanosAttemptException(ThanosFailureReason.BadResponse, response.StatusCode, null, e.Message, null, e);
            }
        }
    }

    private async Task<HttpResponseMessage> SendAsync(ThanosCall call, CancellationToken cancellationToken)
    {
        if (call.AllowPost && !useGet)
        {
            using var post = NewRequest(HttpMethod.Post, new Uri(baseUrl, call.Path));
            post.Content = new FormUrlEncodedContent(call.Parameters);
            var response = await http.SendAsync(post, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (response.StatusCode != HttpStatusCode.MethodNotAllowed)
            {
                return response;
            }

            response.Dispose();
            useGet = true;
            Log.FallingBackToGet(logger, call.Path);
        }

        var query = string.Join('&', call.Parameters.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value)));
        using var get = NewRequest(HttpMethod.Get, new Uri(baseUrl, query.Length == 0 ? call.Path : call.Path + "?" + query));
        return await http.SendAsync(get, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }

    private HttpRequestMessage NewRequest(HttpMethod method, Uri uri)
    {
        var request = new HttpRequestMessage(method, uri);
        request.Headers.Accept.Add(AcceptJson);
        var token = tokens.Current(out var reloaded);
        if (reloaded)
        {
            Log.TokenReloaded(logger, options.BearerTokenFile!);
        }

        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return request;
    }

    private async Task<ThanosAttemptException> FailureOfAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var (errorType, error) = await ReadErrorBodyAsync(response, cancellationToken);
        return new ThanosAttemptException(
            ReasonForStatus(response.StatusCode), response.StatusCode, errorType, Scrub(error), RetryAfterOf(response));
    }

    /// <summary>Prometheus's <c>errorType</c>/<c>error</c> when the body is its error envelope, else the raw text.</summary>
    private static async Task<(string? ErrorType, string Error)> ReadErrorBodyAsync(
        HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxErrorBodyBytes];
        var length = 0;
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            int read;
            while (length < buffer.Length && (read = await body.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
            {
                length += read;
            }
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            // The status already says what happened; a body cut short only loses detail.
            if (length == 0)
            {
                return (null, "");
            }
        }

        var bytes = buffer.AsSpan(0, length);
        try
        {
            var reader = new Utf8JsonReader(bytes);
            if (JsonElement.TryParseValue(ref reader, out var element) && element is { ValueKind: JsonValueKind.Object } root
                && root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.String)
            {
                var errorType = root.TryGetProperty("errorType", out var type) && type.ValueKind == JsonValueKind.String
                    ? type.GetString()
                    : null;
                return (errorType, error.GetString()!);
            }
        }
        catch (JsonException)
        {
            // Not JSON (a proxy's HTML page, a cut body): fall through to the text.
        }

        return (null, Encoding.UTF8.GetString(bytes));
    }

    private TimeSpan? RetryAfterOf(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - timeProvider.GetUtcNow(),
        _ => null,
    };

    // Error texts come from the server; make sure an echoed token never reaches a message or a log.
    private string Scrub(string text) =>
        tokens.Known is { Length: > 0 } token ? text.Replace(token, "[redacted]", StringComparison.Ordinal) : text;
}

/// <summary>One logical call, shared by its attempts.</summary>
internal sealed class ThanosCall(
    string queryName, string clusterId, string path, bool allowPost, KeyValuePair<string, string>[] parameters)
{
    public string QueryName { get; } = queryName;

    public string ClusterId { get; } = clusterId;

    /// <summary>Relative to the base URL (no leading '/').</summary>
    public string Path { get; } = path;

    public bool AllowPost { get; } = allowPost;

    public IReadOnlyList<KeyValuePair<string, string>> Parameters { get; } = parameters;

#pragma warning disable CA1051 // Incremented with Interlocked, which needs a field.
    public int Attempts;
#pragma warning restore CA1051
}
