using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace ThanosBridge.Adapters.Thanos;

/// <summary>Builds the HTTP stack for <see cref="ThanosQueryClient"/> from <see cref="ThanosClientOptions"/>.</summary>
public static class ThanosHttpClientFactory
{
    /// <summary>A handler with the TLS settings of <paramref name="options"/> (custom CA or no verification).</summary>
    /// <exception cref="InvalidOperationException">The CA file holds no certificate.</exception>
    public static SocketsHttpHandler CreateHandler(ThanosClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var handler = new SocketsHttpHandler
        {
            // Thanos compresses large matrices well.
            AutomaticDecompression = DecompressionMethods.All,
            // Pick up DNS changes of the Thanos service.
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        };
        if (options.InsecureSkipVerify)
        {
#pragma warning disable CA5359 // Opt-in option (default false), documented as for tests and emergencies only.
            handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
#pragma warning restore CA5359
        }
        else if (!string.IsNullOrEmpty(options.CaFile))
        {
            var roots = new X509Certificate2Collection();
            roots.ImportFromPemFile(options.CaFile);
            if (roots.Count == 0)
            {
                throw new InvalidOperationException($"CA file {options.CaFile} holds no PEM certificate");
            }

            // The chain must end at one of these roots; host name checks still apply. Cluster CAs publish no CRLs.
            var policy = new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,
                RevocationMode = X509RevocationMode.NoCheck,
            };
            policy.CustomTrustStore.AddRange(roots);
            handler.SslOptions.CertificateChainPolicy = policy;
        }

        return handler;
    }

    /// <summary>
    /// An <see cref="HttpClient"/> over <see cref="CreateHandler"/> with no client-wide timeout: the resilience
    /// pipeline of <see cref="ThanosQueryClient"/> times each attempt, body included.
    /// </summary>
    public static HttpClient CreateHttpClient(ThanosClientOptions options) =>
        new(CreateHandler(options), disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
}
