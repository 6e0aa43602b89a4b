using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using ThanosBridge.Adapters.Kubernetes;
using ThanosBridge.Core.Discovery;
using ThanosBridge.TestSupport.Fakes;
using ThanosBridge.TestSupport;

namespace ThanosBridge.Adapters.Tests.Kubernetes;

/// <summary>The ManagedCluster lister against a fake API server answering the API server's JSON, through KubernetesClient.</summary>
public sealed class ManagedClusterListerTests : IDisposable
{
    private readonly FakeKubernetesApi api = FakeKubernetesApi.Start();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => api.Dispose();

    [Fact]
    public async Task ListAsync_ReadsNameLabelsIdClaimAndConditions_FromTheApiServersJson()
    {
        api.Add(ManagedClusterObjects.Create("spoke-1", "0f1e2d3c-4b5a-4968-8776-655443322110"),
            ManagedClusterObjects.Create("joining", null, joined: null, available: null),
            ManagedClusterObjects.Create("offline", "id-offline", available: "Unknown"));
        using var sut = CreateSut();

        var clusters = await sut.ListAsync(Ct);

        clusters.Select(c => c.Name).ShouldBe(["spoke-1", "joining", "offline"]);
        var spoke = clusters[0];
        spoke.ClusterIdClaim.ShouldBe("0f1e2d3c-4b5a-4968-8776-655443322110");
        spoke.Labels["vendor"].ShouldBe("OpenShift");
        spoke.Labels["cluster.open-cluster-management.io/clusterset"].ShouldBe("default");
        spoke.Conditions.Select(c => (c.Type, c.Status)).ShouldBe(
            [("HubAcceptedManagedCluster", "True"), ("ManagedClusterJoined", "True"), ("ManagedClusterConditionAvailable", "True")]);
        clusters[1].ClusterIdClaim.ShouldBeNull();
        clusters[1].Conditions.Select(c => c.Type).ShouldBe(["HubAcceptedManagedCluster"]);
        var offline = clusters[2].Conditions.Single(c => c.Type == "ManagedClusterConditionAvailable");
        offline.Status.ShouldBe("Unknown");
        offline.Reason.ShouldBe("ManagedClusterLeaseUpdateStopped");
        offline.Message.ShouldBe("Registration agent stopped updating its lease.");
    }

    [Fact]
    public async Task ListAsync_GetsTheClusterScopedListOfTheAcmGroup_WithTheBearerToken()
    {
        using var sut = CreateSut(token: "kube-token-SECRET");

        await sut.ListAsync(Ct);

        var request = api.Requests.Single().Request;
        request.Method.ShouldBe("GET");
        request.Path.ShouldBe("/apis/cluster.open-cluster-management.io/v1/managedclusters");
        request.Header("Authorization").ShouldBe("Bearer kube-token-SECRET");
        request.Query.ContainsKey("labelSelector").ShouldBeFalse();
    }

    [Fact]
    public async Task ListAsync_PassesTheLabelSelectorToTheApiServer_WhichFiltersTheList()
    {
        api.Add(ManagedClusterObjects.Create("in", "id-in", labels: new Dictionary<string, string> { ["cost-management"] = "true" }),
            ManagedClusterObjects.Create("out", "id-out"));
        using var sut = CreateSut(selector: "cost-management=true");

        var clusters = await sut.ListAsync(Ct);

        api.Requests.Single().Request.Query["labelSelector"].ShouldBe("cost-management=true");
        clusters.Select(c => c.Name).ShouldBe(["in"]);
    }

    [Fact]
    public async Task ListAsync_ManyClusters_FollowsTheContinueTokenPageByPage()
    {
        api.Add([.. Enumerable.Range(1, 5).Select(i => ManagedClusterObjects.Create($"spoke-{i}", $"id-{i}"))]);
        using var sut = CreateSut(pageSize: 2);

        var clusters = await sut.ListAsync(Ct);

        clusters.Select(c => c.Name).ShouldBe(["spoke-1", "spoke-2", "spoke-3", "spoke-4", "spoke-5"]);
        api.Requests.Count.ShouldBe(3);
        api.Requests.ShouldAllBe(r => r.Request.Query["limit"] == "2");
        api.Requests[0].Request.Query.ContainsKey("continue").ShouldBeFalse();
        api.Requests[1].Request.Query["continue"].ShouldNotBeNullOrEmpty();
    }

    [Fact]
    public async Task ListAsync_Forbidden_ThrowsKubernetesForbidden_WithTheApiServersMessage_NotTheToken()
    {
        api.Forbid = true;
        using var sut = CreateSut(token: "kube-token-SECRET");

        var e = await Should.ThrowAsync<RegistrationException>(() => sut.ListAsync(Ct));

        e.Reason.ShouldBe(RegistrationFailureReasons.KubernetesForbidden);
        e.Message.ShouldStartWith($"listing ManagedClusters (cluster.open-cluster-management.io/v1) at {api.BaseUrl} failed: 403 Forbidden: ");
        e.Message.ShouldContain("cannot list resource \"managedclusters\" in API group \"cluster.open-cluster-management.io\" at the cluster scope");
        e.Message.ShouldNotContain("kube-token-SECRET");
    }

    [Fact]
    public async Task ListAsync_NothingListens_ThrowsKubernetesUnavailable()
    {
        using var sut = new ManagedClusterLister(new KubernetesOptions { ApiUrl = new Uri($"http://127.0.0.1:{LoopbackPorts.Free()}/") },
            NullLogger<ManagedClusterLister>.Instance);

        var e = await Should.ThrowAsync<RegistrationException>(() => sut.ListAsync(Ct));

        e.Reason.ShouldBe(RegistrationFailureReasons.KubernetesUnavailable);
        e.Message.ShouldContain("listing ManagedClusters");
    }

    [Fact]
    public void ReadPage_AnswerThatIsNoList_IsInvalidData()
    {
        using var json = JsonDocument.Parse("""{"kind":"Status","message":"x"}""");

        Should.Throw<InvalidDataException>(() => ManagedClusterJson.ReadPage(json.RootElement, [])).Message.ShouldContain("no items array");
    }

    [Fact]
    public void ReadPage_ClusterWithoutStatus_HasNoClaimAndNoConditions()
    {
        using var json = JsonDocument.Parse("""{"items":[{"metadata":{"name":"fresh"}}],"metadata":{"continue":""}}""");
        var clusters = new List<ManagedCluster>();

        ManagedClusterJson.ReadPage(json.RootElement, clusters).ShouldBe("");

        clusters.Single().ShouldSatisfyAllConditions(
            c => c.Name.ShouldBe("fresh"),
            c => c.ClusterIdClaim.ShouldBeNull(),
            c => c.Conditions.ShouldBeEmpty(),
            c => c.Labels.ShouldBeEmpty());
    }

    [Theory]
    [InlineData("""{"kind":"Status","message":"the server is currently unable to handle the request"}""", "the server is currently unable to handle the request")]
    [InlineData("<html>Bad Gateway</html>", "<html>Bad Gateway</html>")]
    [InlineData("", "(no body)")]
    public void StatusMessage_IsTheStatusMessage_OrTheBody(string body, string expected)
    {
        ManagedClusterJson.StatusMessage(body).ShouldBe(expected);
    }

    private ManagedClusterLister CreateSut(string? token = null, string? selector = null, int pageSize = 500) =>
        new(new KubernetesOptions { ApiUrl = api.BaseUrl, Token = token, LabelSelector = selector, PageSize = pageSize },
            NullLogger<ManagedClusterLister>.Instance);
}
