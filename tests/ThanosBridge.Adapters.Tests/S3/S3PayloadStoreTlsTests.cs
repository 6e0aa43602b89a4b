using Microsoft.Extensions.Logging.Testing;
using ThanosBridge.TestSupport.Logging;
using System.Security.Cryptography.X509Certificates;
using ThanosBridge.Adapters.S3;
using ThanosBridge.TestSupport.Fakes;

namespace ThanosBridge.Adapters.Tests.S3;

/// <summary>AWS_CA_BUNDLE: an HTTPS S3 endpoint whose certificate is signed by a CA made in the test.</summary>
public sealed class S3PayloadStoreTlsTests : IAsyncLifetime
{
    private readonly TestCertificateAuthority ca = TestCertificateAuthority.Create("s3 test CA");
    private readonly TestCertificateAuthority otherCa = TestCertificateAuthority.Create("unrelated CA");
    private readonly string directory = Directory.CreateTempSubdirectory("s3-tls-").FullName;
    private X509Certificate2 serverCertificate = null!;
    private FakeThanosServer server = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        serverCertificate = ca.IssueLoopbackServerCertificate();
        server = await FakeThanosServer.StartAsync(serverCertificate, Ct);
        server.Fallback = S3PayloadStoreTests.S3Error(404, "NoSuchKey");
    }

    public async ValueTask DisposeAsync()
    {
        await server.DisposeAsync();
        serverCertificate.Dispose();
        ca.Dispose();
        otherCa.Dispose();
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task CheckAsync_BundleOfTheSigningCa_TrustsTheEndpoint()
    {
        var bundle = Path.Combine(directory, "ca-bundle.crt");
        ca.WritePem(bundle);
        using var sut = Create(bundle);

        await sut.CheckAsync(Ct);

        server.Requests.ShouldHaveSingleItem();
    }

    [Fact]
    public async Task CheckAsync_BundleOfAnotherCa_RefusesTheEndpoint()
    {
        var bundle = Path.Combine(directory, "other.crt");
        otherCa.WritePem(bundle);
        using var sut = Create(bundle);

        var ex = await Should.ThrowAsync<S3PayloadStoreException>(() => sut.CheckAsync(Ct));

        ex.Message.ShouldStartWith($"S3 readiness check of {S3PayloadStore.ReadinessProbeKey} in bucket koku-bucket failed: ");
        server.Requests.ShouldBeEmpty();
    }

    [Fact]
    public void Create_BundleWithoutCertificate_ThrowsNamingTheFile()
    {
        var bundle = Path.Combine(directory, "empty.crt");
        File.WriteAllText(bundle, "not a certificate\n");

        var ex = Should.Throw<InvalidOperationException>(() => Create(bundle));

        ex.Message.ShouldBe($"AWS_CA_BUNDLE {bundle} holds no PEM certificate");
    }

    [Fact]
    public void Create_MissingBundle_ThrowsNamingTheFile()
    {
        var bundle = Path.Combine(directory, "missing.crt");

        var ex = Should.Throw<InvalidOperationException>(() => Create(bundle));

        ex.Message.ShouldStartWith($"AWS_CA_BUNDLE {bundle} cannot be read");
    }

    private S3PayloadStore Create(string caBundle) =>
        S3PayloadStore.Create(
            new S3Options
            {
                Endpoint = server.BaseUrl,
                AccessKeyId = "AKIDTEST",
                SecretAccessKey = "SECRETTEST",
                Bucket = "koku-bucket",
                CaBundle = caBundle,
            },
            TimeProvider.System,
            new FakeLogger<S3PayloadStore>());
}
