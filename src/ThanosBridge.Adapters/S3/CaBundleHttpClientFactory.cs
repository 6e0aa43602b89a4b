using System.Security.Cryptography.X509Certificates;
using Amazon.Runtime;

namespace ThanosBridge.Adapters.S3;

/// <summary>
/// Gives the S3 client one <see cref="HttpClient"/> that trusts only the CAs of AWS_CA_BUNDLE: the server's chain must
/// end at one of them (host name checks still apply), as koku's boto3 does with the same variable.
/// </summary>
internal sealed class CaBundleHttpClientFactory : HttpClientFactory, IDisposable
{
    private readonly HttpClient client;

    /// <exception cref="InvalidOperationException">The file cannot be read or holds no PEM certificate.</exception>
    public CaBundleHttpClientFactory(string caBundlePath)
    {
        var roots = new X509Certificate2Collection();
        try
        {
            roots.ImportFromPemFile(caBundlePath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            throw new InvalidOperationException($"AWS_CA_BUNDLE {caBundlePath} cannot be read: {ex.Message}", ex);
        }

        if (roots.Count == 0)
        {
            throw new InvalidOperationException($"AWS_CA_BUNDLE {caBundlePath} holds no PEM certificate");
        }

        // Cluster CAs (OpenShift service CA, ODF) publish no CRLs.
        var policy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            RevocationMode = X509RevocationMode.NoCheck,
        };
        policy.CustomTrustStore.AddRange(roots);
        var handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            SslOptions = { CertificateChainPolicy = policy },
        };
        client = new HttpClient(handler, disposeHandler: true);
    }

    public override HttpClient CreateHttpClient(IClientConfig clientConfig) => client;

    // This factory owns its single client: the SDK neither caches nor disposes it.
    public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => false;

    public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => false;

    public void Dispose() => client.Dispose();
}
