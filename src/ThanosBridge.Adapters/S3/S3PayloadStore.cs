using System.Globalization;
using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Logging;
using ThanosBridge.Core.Delivery;

namespace ThanosBridge.Adapters.S3;

/// <summary>
/// Puts payloads into koku's bucket and hands out pre-signed GET URLs (SigV4, path-style, signed for the configured
/// region) that koku's listener downloads without credentials (koku-ingestion.md §1.4). Works with AWS S3 and the
/// S3-compatible in-cluster endpoints (ODF/NooBaa, RGW): no bucket-level call is ever made.
/// </summary>
public sealed class S3PayloadStore : IPayloadStore, IDisposable
{
    /// <summary>The key that <see cref="CheckAsync"/> reads; it is never written.</summary>
    public const string ReadinessProbeKey = "thanos-bridge-readiness-probe/does-not-exist";

    /// <summary>How long <see cref="CheckAsync"/> waits for S3.</summary>
    public static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(10);

    /// <summary>SigV4 refuses pre-signed URLs valid for longer than 7 days.</summary>
    public static readonly TimeSpan MaxPresignExpiry = TimeSpan.FromDays(7);

    private readonly IAmazonS3 client;
    private IDisposable? ownedResources;
    private readonly string bucket;
    private readonly TimeSpan presignExpiry;
    private readonly Protocol protocol;
    private readonly TimeProvider timeProvider;
    private readonly ILogger<S3PayloadStore> logger;
    private readonly string[] secrets;

    /// <param name="client">A client configured for the endpoint (see <see cref="Create"/>); not disposed here.</param>
    /// <param name="bucket">THANOS_BRIDGE_S3_BUCKET.</param>
    /// <param name="presignExpiry">Validity of download URLs; at most <see cref="MaxPresignExpiry"/>.</param>
    /// <param name="endpoint">The endpoint; its scheme decides the protocol of the download URLs.</param>
    /// <param name="timeProvider">The clock that download URLs' expiry is computed from.</param>
    /// <param name="logger">Receives EventIds 5001–5003.</param>
    public S3PayloadStore(
        IAmazonS3 client, string bucket, TimeSpan presignExpiry, Uri endpoint, TimeProvider timeProvider, ILogger<S3PayloadStore> logger)
        : this(client, null, bucket, presignExpiry, endpoint, timeProvider, logger, [])
    {
    }

    private S3PayloadStore(
        IAmazonS3 client,
        IDisposable? ownedResources,
        string bucket,
        TimeSpan presignExpiry,
        Uri endpoint,
        TimeProvider timeProvider,
        ILogger<S3PayloadStore> logger,
        string[] secrets)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrEmpty(bucket);
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(presignExpiry, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(presignExpiry, MaxPresignExpiry);
        this.client = client;
        this.ownedResources = ownedResources;
        this.bucket = bucket;
        this.presignExpiry = presignExpiry;
        protocol = string.Equals(endpoint.Scheme, Uri.UriSchemeHttp, StringComparison.OrdinalIgnoreCase) ? Protocol.HTTP : Protocol.HTTPS;
        this.timeProvider = timeProvider;
        this.logger = logger;
        this.secrets = secrets;
    }

    /// <summary>
    /// A store with its own client: path-style addressing, SigV4 for <see cref="S3Options.Region"/>, checksums only
    /// where required (S3-compatible servers refuse the SDK's trailing-checksum uploads), and, with
    /// <see cref="S3Options.CaBundle"/>, a TLS trust limited to that bundle's CAs.
    /// </summary>
    /// <exception cref="InvalidOperationException">The CA bundle cannot be read or holds no certificate.</exception>
    public static S3PayloadStore Create(S3Options options, TimeProvider timeProvider, ILogger<S3PayloadStore> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        var config = new AmazonS3Config
        {
            ServiceURL = options.Endpoint.ToString(),
            ForcePathStyle = true,
            AuthenticationRegion = options.Region,
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            // "Standard" needs no EC2 instance-metadata lookup (the "auto" mode would try one).
            DefaultConfigurationMode = DefaultConfigurationMode.Standard,
        };
        CaBundleHttpClientFactory? factory = null;
        if (!string.IsNullOrEmpty(options.CaBundle))
        {
            factory = new CaBundleHttpClientFactory(options.CaBundle);
            config.HttpClientFactory = factory;
        }

        var client = new AmazonS3Client(new BasicAWSCredentials(options.AccessKeyId, options.SecretAccessKey), config);
        return new S3PayloadStore(
            client,
            new OwnedResources(client, factory),
            options.Bucket,
            options.PresignExpiry,
            options.Endpoint,
            timeProvider,
            logger,
            [options.SecretAccessKey, options.AccessKeyId]);
    }

    /// <exception cref="S3PayloadStoreException">S3 refused the object or could not be reached.</exception>
    public async Task UploadAsync(string key, byte[] content, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(content);
        using var body = new MemoryStream(content, writable: false);
        var request = new PutObjectRequest
        {
            BucketName = bucket,
            Key = key,
            InputStream = body,
            ContentType = "application/gzip",
            AutoCloseStream = false,
            // Signs the payload hash up front instead of aws-chunked framing, which some S3-compatible servers store
            // verbatim or refuse; the body is in memory anyway.
            UseChunkEncoding = false,
        };
        try
        {
            await client.PutObjectAsync(request, cancellationToken);
        }
        catch (Exception ex) when (IsS3Failure(ex, cancellationToken))
        {
            throw new S3PayloadStoreException("upload", bucket, key, Describe(ex), ex);
        }

        Log.Uploaded(logger, key, content.Length, bucket);
    }

    /// <summary>A pre-signed GET URL, valid for the configured expiry from now. It is a credential: never log it.</summary>
    /// <exception cref="S3PayloadStoreException">The URL could not be signed.</exception>
    public async Task<Uri> GetDownloadUrlAsync(string key, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var expiresAt = timeProvider.GetUtcNow() + presignExpiry;
        string url;
        try
        {
            url = await client.GetPreSignedURLAsync(new GetPreSignedUrlRequest
            {
                BucketName = bucket,
                Key = key,
                Verb = HttpVerb.GET,
                Protocol = protocol,
                Expires = expiresAt.UtcDateTime,
            });
        }
        catch (Exception ex) when (IsS3Failure(ex, cancellationToken) || ex is ArgumentException)
        {
            throw new S3PayloadStoreException("pre-signing", bucket, key, Describe(ex), ex);
        }

        Log.DownloadUrlSigned(logger, key, bucket, expiresAt);
        return new Uri(url);
    }

    /// <summary>
    /// Readiness: GETs <see cref="ReadinessProbeKey"/>, which does not exist, within <see cref="CheckTimeout"/>. A 404
    /// NoSuchKey proves that the endpoint answers, the bucket exists and the signature was accepted; so does a 403
    /// AccessDenied (credentials without the list permission get it instead of 404). No bucket-level call is made.
    /// </summary>
    /// <exception cref="S3PayloadStoreException">
    /// The endpoint cannot be reached or timed out, the credentials were refused (403 SignatureDoesNotMatch,
    /// InvalidAccessKeyId, …), or the bucket does not exist (404 NoSuchBucket).
    /// </exception>
    public async Task CheckAsync(CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(CheckTimeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            using var response = await client.GetObjectAsync(bucket, ReadinessProbeKey, linked.Token);
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound && ex.ErrorCode != "NoSuchBucket")
        {
            return;
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.Forbidden && ex.ErrorCode == "AccessDenied")
        {
            Log.CheckAccessDenied(logger, ReadinessProbeKey, bucket);
        }
        catch (OperationCanceledException ex) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new S3PayloadStoreException("readiness check", bucket, ReadinessProbeKey,
                string.Create(CultureInfo.InvariantCulture, $"no answer within {CheckTimeout.TotalSeconds:0} s"), ex);
        }
        catch (Exception ex) when (IsS3Failure(ex, cancellationToken))
        {
            var reason = Describe(ex);
            if (ex is AmazonS3Exception { StatusCode: HttpStatusCode.Forbidden })
            {
                reason = "the credentials were refused: " + reason;
            }

            throw new S3PayloadStoreException("readiness check", bucket, ReadinessProbeKey, reason, ex);
        }
    }

    // Idempotent: a container that registers this as itself and as IPayloadStore disposes it twice.
    public void Dispose() => Interlocked.Exchange(ref ownedResources, null)?.Dispose();

    private static bool IsS3Failure(Exception ex, CancellationToken cancellationToken) =>
        ex is AmazonServiceException or AmazonClientException or HttpRequestException or IOException
        || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested);

    private string Describe(Exception ex)
    {
        var text = ex switch
        {
            AmazonServiceException service when service.StatusCode != 0 =>
                string.Create(CultureInfo.InvariantCulture, $"HTTP {(int)service.StatusCode} {service.ErrorCode}: {service.Message}"),
            OperationCanceledException => "the request timed out",
            _ when ex.InnerException is { } inner && inner.Message != ex.Message => $"{ex.Message} ({inner.Message})",
            _ => ex.Message,
        };

        // The SDK never puts the keys into messages; this guards against a server that echoes them.
        foreach (var secret in secrets)
        {
            if (secret is { Length: >= 4 })
            {
                text = text.Replace(secret, "***", StringComparison.Ordinal);
            }
        }

        return text;
    }

    private sealed class OwnedResources(AmazonS3Client client, CaBundleHttpClientFactory? factory) : IDisposable
    {
        public void Dispose()
        {
            client.Dispose();
            factory?.Dispose();
        }
    }
}
