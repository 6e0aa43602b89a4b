using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using ThanosBridge.Adapters.Koku;
using ThanosBridge.Core.Discovery;
using ThanosBridge.TestSupport.Fakes;
using ThanosBridge.TestSupport;

namespace ThanosBridge.Adapters.Tests.Koku;

/// <summary>koku's sources API as auto-registration calls it (koku-ingestion.md §4.4), against a fake koku answering as koku does.</summary>
public sealed class KokuSourcesClientTests : IDisposable
{
    private readonly FakeKokuApi koku = FakeKokuApi.Start();
    private readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        http.Dispose();
        koku.Dispose();
    }

    [Fact]
    public async Task RegisterAsync_PostsExactlyTheDocumentedBody_ToTheSourcesPath()
    {
        var result = await CreateSut().RegisterAsync("spoke-1", "id-1", Ct);

        result.Status.ShouldBe(SourceRegistrationStatus.Created);
        result.SourceId.ShouldBe("1");
        var (request, body) = koku.Requests.Single();
        request.Method.ShouldBe("POST");
        request.Path.ShouldBe("/api/cost-management/v1/sources/");
        request.Header("Content-Type")!.ShouldStartWith("application/json");
        JsonSerializer.Serialize(JsonDocument.Parse(body).RootElement).ShouldBe(
            """{"name":"spoke-1","source_type":"OCP","authentication":{"credentials":{"cluster_id":"id-1"}}}""");
        koku.Created.Single().ShouldSatisfyAllConditions(
            s => s.Name.ShouldBe("spoke-1"),
            s => s.ClusterId.ShouldBe("id-1"),
            s => s.OrgId.ShouldBe("1234567"),
            s => s.Account.ShouldBe("10001"));
    }

    [Fact]
    public async Task RegisterAsync_SendsTheIdentityKokuRequires_ForTheConfiguredOrg()
    {
        await CreateSut().RegisterAsync("spoke-1", "id-1", Ct);

        var header = koku.Requests.Single().Request.Header("X-Rh-Identity")!;
        using var identity = JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(header)));
        var root = identity.RootElement;
        root.GetProperty("identity").GetProperty("org_id").GetString().ShouldBe("1234567");
        root.GetProperty("identity").GetProperty("account_number").GetString().ShouldBe("10001");
        root.GetProperty("identity").GetProperty("type").GetString().ShouldBe("User");
        var user = root.GetProperty("identity").GetProperty("user");
        user.GetProperty("username").GetString().ShouldBe("thanos-bridge");
        user.GetProperty("email").GetString().ShouldBe("thanos-bridge@thanos-bridge.invalid");
        user.GetProperty("is_org_admin").GetBoolean().ShouldBeTrue();
        root.GetProperty("entitlements").GetProperty("cost_management").GetProperty("is_entitled").GetBoolean().ShouldBeTrue();
        KokuIdentity.Read(header).ShouldBe(("thanos-bridge", "1234567"));
    }

    [Fact]
    public async Task RegisterAsync_WithoutAnAccount_SendsANullAccountNumber()
    {
        var sut = new KokuSourcesClient(http, Options() with { Account = null }, NullLogger<KokuSourcesClient>.Instance);

        await sut.RegisterAsync("spoke-1", "id-1", Ct);

        using var identity = JsonDocument.Parse(Convert.FromBase64String(koku.Requests.Single().Request.Header("X-Rh-Identity")!));
        identity.RootElement.GetProperty("identity").GetProperty("account_number").ValueKind.ShouldBe(JsonValueKind.Null);
        koku.Created.Single().Account.ShouldBeNull();
    }

    [Fact]
    public async Task RegisterAsync_KokuAnswersDuplicate_IsAlreadyExists_WithKokusWords()
    {
        koku.AddExisting("id-1");

        var result = await CreateSut().RegisterAsync("spoke-1", "id-1", Ct);

        result.Status.ShouldBe(SourceRegistrationStatus.AlreadyExists);
        result.Reason.ShouldBeNull();
        result.Detail.ShouldContain("answered 400 BadRequest: source.duplicate: Cost management does not allow duplicate accounts.");
    }

    [Theory]
    [InlineData(FakeKokuMode.Forbidden, RegistrationFailureReasons.KokuForbidden,
        "answered 403 Forbidden: detail: You do not have permission to perform this action. (the identity of org 1234567, user thanos-bridge")]
    [InlineData(FakeKokuMode.Unavailable, RegistrationFailureReasons.KokuUnavailable, "answered 503 ServiceUnavailable: upstream connect error")]
    public async Task RegisterAsync_KokuRefusesOrIsDown_FailsWithTheReason_AndKokusAnswer(FakeKokuMode mode, string reason, string detail)
    {
        koku.Mode = mode;

        var result = await CreateSut().RegisterAsync("spoke-1", "id-1", Ct);

        result.Status.ShouldBe(SourceRegistrationStatus.Failed);
        result.Reason.ShouldBe(reason);
        result.Detail.ShouldContain(detail);
    }

    [Fact]
    public async Task RegisterAsync_NothingListens_FailsAsKokuUnavailable()
    {
        var sut = new KokuSourcesClient(http, Options() with { BaseUrl = new Uri($"http://127.0.0.1:{LoopbackPorts.Free()}") }, NullLogger<KokuSourcesClient>.Instance);

        var result = await sut.RegisterAsync("spoke-1", "id-1", Ct);

        result.Status.ShouldBe(SourceRegistrationStatus.Failed);
        result.Reason.ShouldBe(RegistrationFailureReasons.KokuUnavailable);
        result.Detail.ShouldStartWith($"POST http://127.0.0.1:");
    }

    [Fact]
    public async Task RegisterAsync_BaseUrlWithTheApiPrefixAlready_Is404_AndTheDetailSaysWhatToFix()
    {
        var sut = new KokuSourcesClient(http, Options() with { BaseUrl = new Uri(koku.BaseUrl, "api/cost-management") }, NullLogger<KokuSourcesClient>.Instance);

        var result = await sut.RegisterAsync("spoke-1", "id-1", Ct);

        koku.Requests.Single().Request.Path.ShouldBe("/api/cost-management/api/cost-management/v1/sources/");
        result.Reason.ShouldBe(RegistrationFailureReasons.KokuRejected);
        result.Detail.ShouldContain("without /api/cost-management?");
    }

    [Fact]
    public void SourcesUrl_KeepsAPathPrefixOfTheBaseUrl()
    {
        (Options() with { BaseUrl = new Uri("https://gateway.example.com/koku") }).SourcesUrl
            .ShouldBe(new Uri("https://gateway.example.com/koku/api/cost-management/v1/sources/"));
        (Options() with { BaseUrl = new Uri("http://cost-onprem-koku-api:8000/") }).SourcesUrl
            .ShouldBe(new Uri("http://cost-onprem-koku-api:8000/api/cost-management/v1/sources/"));
    }

    [Theory]
    [InlineData("""{"errors":[{"detail":"a","source":"name","status":400},{"detail":"b","source":"x.y","status":400}]}""", "name: a; x.y: b")]
    [InlineData("""{"detail":"plain"}""", """{"detail":"plain"}""")]
    [InlineData("not json\nat all", "not json at all")]
    [InlineData("  ", "(no body)")]
    public void ErrorMessage_ReadsKokusErrorList_OrKeepsTheBodyOnOneLine(string body, string expected)
    {
        KokuSourcesClient.ErrorMessage(body).ShouldBe(expected);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("not base64!")]
    [InlineData("eyJ4IjoxfQ==")]
    public void IdentityRead_Unreadable_IsNulls(string? header)
    {
        KokuIdentity.Read(header).ShouldBe((null, null));
    }

    private KokuSourcesClient CreateSut() => new(http, Options(), NullLogger<KokuSourcesClient>.Instance);

    private KokuApiOptions Options() => new() { BaseUrl = koku.BaseUrl, OrgId = "1234567", Account = "10001" };
}
