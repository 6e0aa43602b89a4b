using System.Net;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using k8s.Exceptions;
using Microsoft.Extensions.Logging;
using ThanosBridge.Core.Discovery;

namespace ThanosBridge.Adapters.Kubernetes;

/// <summary>
/// Lists ACM's ManagedClusters (<c>cluster.open-cluster-management.io/v1</c>, cluster-scoped) through the Kubernetes API
/// with KubernetesClient: page by page (limit/continue), filtered by the configured label selector on the server. Needs
/// get/list on managedclusters (the chart's ClusterRole). The client is built at the first list, so a pod without a
/// token fails its registration runs, not its start.
/// </summary>
public sealed class ManagedClusterLister : IManagedClusterLister, IDisposable
{
    public const string Group = "cluster.open-cluster-management.io";
    public const string Version = "v1";
    public const string Plural = "managedclusters";

    private readonly KubernetesOptions options;
    private readonly ILogger<ManagedClusterLister> logger;
    private readonly Lazy<k8s.Kubernetes> client;

    public ManagedClusterLister(KubernetesOptions options, ILogger<ManagedClusterLister> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        this.options = options;
        this.logger = logger;
        client = new Lazy<k8s.Kubernetes>(() => new k8s.Kubernetes(Configuration(options)), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>True when the in-cluster configuration is available (KUBERNETES_SERVICE_HOST and the service account's token).</summary>
    public static bool InCluster => KubernetesClientConfiguration.IsInCluster();

    /// <summary>The API server as logs and errors show it (never the token).</summary>
    public string ApiServer => options.ApiUrl?.ToString() ?? "the in-cluster API server";

    public async Task<IReadOnlyList<ManagedCluster>> ListAsync(CancellationToken cancellationToken)
    {
        var clusters = new List<ManagedCluster>();
        string? continueToken = null;
        var pages = 0;
        try
        {
            do
            {
                var page = await client.Value.CustomObjects.ListClusterCustomObjectAsync(
                    Group, Version, Plural,
                    continueParameter: continueToken,
                    labelSelector: options.LabelSelector,
                    limit: options.PageSize,
                    cancellationToken: cancellationToken);
                pages++;
                continueToken = ManagedClusterJson.ReadPage(page is JsonElement json ? json : JsonSerializer.SerializeToElement(page), clusters);
            }
            while (!string.IsNullOrEmpty(continueToken));
        }
        catch (HttpOperationException e)
        {
            var status = e.Response?.StatusCode ?? 0;
            var reason = status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden
                ? RegistrationFailureReasons.KubernetesForbidden
                : RegistrationFailureReasons.KubernetesUnavailable;
            throw Failure(reason, $"{(int)status} {status}: {ManagedClusterJson.StatusMessage(e.Response?.Content)}", e);
        }
        catch (Exception e) when (e is HttpRequestException or KubeConfigException or JsonException or InvalidDataException or IOException
                                   || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw Failure(RegistrationFailureReasons.KubernetesUnavailable,
                e is OperationCanceledException ? $"no answer within {options.Timeout.TotalSeconds:F0} s" : e.Message, e);
        }

        Log.ManagedClustersListed(logger, clusters.Count, ApiServer, options.LabelSelector ?? "(none)", pages);
        return clusters;
    }

    public void Dispose()
    {
        if (client.IsValueCreated)
        {
            client.Value.Dispose();
        }
    }

    private RegistrationException Failure(string reason, string problem, Exception inner) =>
        new(reason, $"listing ManagedClusters ({Group}/{Version}) at {ApiServer} failed: {problem}", inner);

    private static KubernetesClientConfiguration Configuration(KubernetesOptions options)
    {
        var configuration = options.ApiUrl is null
            ? KubernetesClientConfiguration.InClusterConfig()
            : new KubernetesClientConfiguration { Host = options.ApiUrl.ToString(), AccessToken = options.Token };
        configuration.HttpClientTimeout = options.Timeout;
        return configuration;
    }
}
