namespace ThanosBridge.Adapters.Thanos;

/// <summary>
/// How to reach the Thanos Query (or Prometheus) HTTP API, and how hard to try. Read and validated from THANOS_QUERY_*
/// by the host's settings loader, which names the variable in every error.
/// </summary>
public sealed class ThanosClientOptions
{
    /// <summary>Root URL of the API. A path prefix (<c>https://host/thanos</c>) is kept. Required.</summary>
    public Uri? BaseUrl { get; set; }

    /// <summary>A fixed bearer token. Never logged. Mutually exclusive with <see cref="BearerTokenFile"/>.</summary>
    public string? BearerToken { get; set; }

    /// <summary>
    /// A file holding the bearer token, re-read whenever its modification time changes (projected service-account
    /// tokens rotate). Never logged.
    /// </summary>
    public string? BearerTokenFile { get; set; }

    /// <summary>PEM file of the CA(s) that sign the server certificate; the system trust store is then not used.</summary>
    public string? CaFile { get; set; }

    /// <summary>Accept any server certificate. Default false; for tests and emergencies only.</summary>
    public bool InsecureSkipVerify { get; set; }

    /// <summary>Time allowed for one attempt, response body included. Default 120 s (CMMO's context_timeout).</summary>
    public TimeSpan QueryTimeout { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>Retries after the first attempt for transient failures. Default 3; 0 disables retrying.</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>
    /// Delay before the first retry; each further retry doubles it, with ±20 % jitter. Default 2 s (CMMO's first wait).
    /// </summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Treat a response with warnings (a partial answer) as a failure. Default true.</summary>
    public bool FailOnWarnings { get; set; } = true;
}
