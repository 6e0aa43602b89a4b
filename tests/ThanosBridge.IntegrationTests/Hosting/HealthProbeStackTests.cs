using Npgsql;
using ThanosBridge.Adapters.Koku;
using ThanosBridge.Adapters.Thanos;
using ThanosBridge.Health;
using ThanosBridge.TestSupport;

namespace ThanosBridge.IntegrationTests.Hosting;

/// <summary>The settings-derived probes against the stack's real Prometheus (standing in for Thanos) and PostgreSQL.</summary>
public class HealthProbeStackTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ThanosProbe_StackPrometheus_Passes()
    {
        var options = new ThanosClientOptions { BaseUrl = StackEnvironment.Current.ThanosQueryUrl };
        using var http = ThanosHttpClientFactory.CreateHttpClient(options);
        var sut = new ThanosHealthProbe(options, http);

        await sut.CheckAsync(Ct);
    }

    [Fact]
    public async Task DatabaseProbe_StackPostgres_Passes()
    {
        var options = StackDatabase(StackEnvironment.Current["DATABASE_PASSWORD"]);
        await using var dataSource = NpgsqlDataSource.Create(options.ConnectionString);
        var sut = new DatabaseHealthProbe(options, dataSource);

        await sut.CheckAsync(Ct);
    }

    [Fact]
    public async Task DatabaseProbe_WrongPassword_FailsWithoutShowingThePassword()
    {
        const string Password = "wrong-Pa55word-for-test";
        var options = StackDatabase(Password);
        await using var dataSource = NpgsqlDataSource.Create(options.ConnectionString);
        var sut = new DatabaseHealthProbe(options, dataSource);

        var e = await Should.ThrowAsync<Exception>(() => sut.CheckAsync(Ct));

        var text = HealthErrorText.From(e, sut.Secrets);
        text.ShouldNotContain(Password);
        text.ShouldContain("password authentication failed");
    }

    private static KokuDatabaseOptions StackDatabase(string password)
    {
        var env = StackEnvironment.Current;
        return new KokuDatabaseOptions
        {
            Host = env["DATABASE_SERVICE_HOST"],
            Port = int.Parse(env["DATABASE_SERVICE_PORT"], System.Globalization.CultureInfo.InvariantCulture),
            Database = env["DATABASE_NAME"],
            Username = env["DATABASE_USER"],
            Password = password,
        };
    }
}
