using ThanosBridge.Commands;
using ThanosBridge.Configuration;
using ThanosBridge.TestSupport.Bridge;

namespace ThanosBridge.Tests.Configuration;

/// <summary>THANOS_BRIDGE_AUTO_REGISTER and its settings: off by default, validated at start-up, one line per problem.</summary>
public sealed class RegistrationSettingsTests
{
    private const string KubeToken = "kube-token-SECRET-5";

    /// <summary>koku's database, without which registration is refused.</summary>
    private static Dictionary<string, string?> WithDatabase() => new(StringComparer.Ordinal)
    {
        ["THANOS_QUERY_URL"] = "http://thanos-query:9090",
        ["DATABASE_SERVICE_HOST"] = "db",
        ["DATABASE_NAME"] = "costonprem_koku",
        ["DATABASE_USER"] = "koku",
        ["DATABASE_PASSWORD"] = "pw",
    };

    /// <summary>Registration on, with everything it needs (an explicit API server: the tests do not run in a pod).</summary>
    private static Dictionary<string, string?> Enabled()
    {
        var env = WithDatabase();
        env["THANOS_BRIDGE_AUTO_REGISTER"] = "true";
        env["THANOS_BRIDGE_KOKU_API_URL"] = "http://cost-onprem-koku-api:8000";
        env["THANOS_BRIDGE_KOKU_ORG_ID"] = "1234567";
        env["THANOS_BRIDGE_KUBERNETES_API_URL"] = "http://127.0.0.1:8001";
        return env;
    }

    [Fact]
    public void Load_ByDefault_RegistrationIsOff()
    {
        BridgeSettingsLoader.Load(WithDatabase()).Registration.ShouldBeNull();
    }

    [Fact]
    public void Load_Enabled_ReadsEveryPartWithItsDefaults()
    {
        var env = Enabled();
        env["THANOS_BRIDGE_AUTO_REGISTER_SELECTOR"] = "cost-management=true";
        env["THANOS_BRIDGE_KOKU_ACCOUNT"] = "10001";
        env["THANOS_BRIDGE_KUBERNETES_TOKEN"] = KubeToken;

        var registration = BridgeSettingsLoader.Load(env).Registration.ShouldNotBeNull();

        registration.Rules.ShouldBe(new ThanosBridge.Core.Discovery.RegistrationOptions("1234567", "thanos-bridge", IncludeLocalCluster: false, DryRun: false));
        registration.Kubernetes.ApiUrl.ShouldBe(new Uri("http://127.0.0.1:8001/"));
        registration.Kubernetes.Token.ShouldBe(KubeToken);
        registration.Kubernetes.LabelSelector.ShouldBe("cost-management=true");
        registration.KokuApi.SourcesUrl.ShouldBe(new Uri("http://cost-onprem-koku-api:8000/api/cost-management/v1/sources/"));
        registration.KokuApi.OrgId.ShouldBe("1234567");
        registration.KokuApi.Account.ShouldBe("10001");
        registration.KokuApi.Username.ShouldBe("thanos-bridge");
    }

    [Fact]
    public void Load_DryRunAndLocalCluster_AreReadIntoTheRules()
    {
        var env = Enabled();
        env["THANOS_BRIDGE_AUTO_REGISTER_DRY_RUN"] = "yes";
        env["THANOS_BRIDGE_AUTO_REGISTER_LOCAL_CLUSTER"] = "1";
        env["THANOS_BRIDGE_KOKU_USERNAME"] = "acm-registrar";

        var rules = BridgeSettingsLoader.Load(env).Registration!.Rules;

        rules.DryRun.ShouldBeTrue();
        rules.IncludeLocalCluster.ShouldBeTrue();
        rules.Username.ShouldBe("acm-registrar");
    }

    [Theory]
    [InlineData("THANOS_BRIDGE_KOKU_API_URL", "THANOS_BRIDGE_KOKU_API_URL: not set, but THANOS_BRIDGE_AUTO_REGISTER is true; set koku's API root")]
    [InlineData("THANOS_BRIDGE_KOKU_ORG_ID", "THANOS_BRIDGE_KOKU_ORG_ID: not set, but THANOS_BRIDGE_AUTO_REGISTER is true")]
    [InlineData("DATABASE_SERVICE_HOST", "THANOS_BRIDGE_AUTO_REGISTER: true, but DATABASE_SERVICE_HOST is not set")]
    public void Load_EnabledWithoutWhatItNeeds_NamesTheVariable(string unset, string expected)
    {
        var env = Enabled();
        env.Remove(unset);
        if (unset == "DATABASE_SERVICE_HOST")
        {
            env.Remove("DATABASE_NAME");
            env.Remove("DATABASE_USER");
            env.Remove("DATABASE_PASSWORD");
            env["THANOS_BRIDGE_CLUSTERS"] = "c1=o1";
        }

        Problems(env).ShouldContain(p => p.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Load_EnabledWithoutAnApiUrlOutsideAPod_AsksForOne()
    {
        var env = Enabled();
        env.Remove("THANOS_BRIDGE_KUBERNETES_API_URL");

        Problems(env).ShouldContain(p => p.StartsWith("THANOS_BRIDGE_KUBERNETES_API_URL: not set, and the process does not run in a pod", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("THANOS_BRIDGE_AUTO_REGISTER_SELECTOR", "a=b,", "THANOS_BRIDGE_AUTO_REGISTER_SELECTOR: \"a=b,\" is not a Kubernetes label selector: it has an empty requirement")]
    [InlineData("THANOS_BRIDGE_KOKU_ORG_ID", "org 1", "THANOS_BRIDGE_KOKU_ORG_ID: \"org 1\" is not an org id")]
    [InlineData("THANOS_BRIDGE_KOKU_ACCOUNT", "a/b", "THANOS_BRIDGE_KOKU_ACCOUNT: \"a/b\" is not an account number")]
    [InlineData("THANOS_BRIDGE_KOKU_USERNAME", "two words", "THANOS_BRIDGE_KOKU_USERNAME: \"two words\" is not a user name")]
    [InlineData("THANOS_BRIDGE_KOKU_API_URL", "koku:8000", "THANOS_BRIDGE_KOKU_API_URL: \"koku:8000\" is not an absolute http or https URL")]
    [InlineData("THANOS_BRIDGE_AUTO_REGISTER_DRY_RUN", "maybe", "THANOS_BRIDGE_AUTO_REGISTER_DRY_RUN: \"maybe\" is not a boolean")]
    public void Load_InvalidValue_IsOneLineNamingTheVariableAndTheValue(string variable, string value, string expected)
    {
        var env = Enabled();
        env[variable] = value;

        Problems(env).ShouldContain(p => p.StartsWith(expected, StringComparison.Ordinal), string.Join('\n', Problems(env)));
    }

    [Fact]
    public void Load_SettingsWhileOff_AreRejected_OneProblemEach_TheTokenRedacted()
    {
        var env = WithDatabase();
        env["THANOS_BRIDGE_KOKU_ORG_ID"] = "1234567";
        env["THANOS_BRIDGE_KUBERNETES_TOKEN"] = KubeToken;

        var problems = Problems(env);

        problems.ShouldBe(
        [
            "THANOS_BRIDGE_KOKU_ORG_ID: \"1234567\" is set, but THANOS_BRIDGE_AUTO_REGISTER is not true, so it would be ignored; set THANOS_BRIDGE_AUTO_REGISTER=true or unset it",
            "THANOS_BRIDGE_KUBERNETES_TOKEN: <redacted> is set, but THANOS_BRIDGE_AUTO_REGISTER is not true, so it would be ignored; set THANOS_BRIDGE_AUTO_REGISTER=true or unset it",
        ]);
    }

    [Fact]
    public void Load_TokenWithoutApiUrl_IsRejected_Redacted()
    {
        var env = Enabled();
        env.Remove("THANOS_BRIDGE_KUBERNETES_API_URL");
        env["THANOS_BRIDGE_KUBERNETES_TOKEN"] = KubeToken;

        var problems = Problems(env);

        problems.ShouldContain("THANOS_BRIDGE_KUBERNETES_TOKEN: <redacted> is set without THANOS_BRIDGE_KUBERNETES_API_URL; in a pod the service account's token is used");
        string.Join('\n', problems).ShouldNotContain(KubeToken);
    }

    [Fact]
    public void Describe_ShowsTheRegistrationVariables_TheTokenRedacted()
    {
        var env = Enabled();
        env["THANOS_BRIDGE_KUBERNETES_TOKEN"] = KubeToken;

        var lines = BridgeSettingsLoader.Load(env).Describe();

        lines.ShouldContain("THANOS_BRIDGE_AUTO_REGISTER=true");
        lines.ShouldContain("THANOS_BRIDGE_AUTO_REGISTER_DRY_RUN=false (default)");
        lines.ShouldContain("THANOS_BRIDGE_KOKU_USERNAME=thanos-bridge (default)");
        lines.ShouldContain("THANOS_BRIDGE_KUBERNETES_TOKEN=<redacted>");
        string.Join('\n', lines).ShouldNotContain(KubeToken);
    }

    [Theory]
    [InlineData("--register --dry-run", true, true)]
    [InlineData("--register", true, false)]
    [InlineData("", false, false)]
    public void ClustersArguments_FlagsTakeNoValue(string args, bool register, bool dryRun)
    {
        var parsed = CommandArguments.Parse("clusters", args.Split(' ', StringSplitOptions.RemoveEmptyEntries), BridgeCommandLine.Commands["clusters"]);

        parsed.Flag("register").ShouldBe(register);
        parsed.Flag("dry-run").ShouldBe(dryRun);
    }

    [Theory]
    [InlineData("--register=true", "clusters: --register takes no value")]
    [InlineData("--register --register", "clusters: --register is given twice")]
    [InlineData("--registr", "clusters: unknown argument '--registr'")]
    public void ClustersArguments_Misused_AreUsageErrors(string args, string expected)
    {
        Should.Throw<UsageException>(() => CommandArguments.Parse("clusters", args.Split(' '), BridgeCommandLine.Commands["clusters"]))
            .Message.ShouldStartWith(expected);
    }

    [Fact]
    public async Task ClustersRegister_WithRegistrationOff_ExitsWithOne_AndOneLineNamingTheVariable()
    {
        var env = new Dictionary<string, string> { ["THANOS_QUERY_URL"] = "http://127.0.0.1:1", ["THANOS_BRIDGE_CLUSTERS"] = "c1=o1" };

        var run = await BridgeProcess.RunAsync(env, ["clusters", "--register", "--dry-run"], TestContext.Current.CancellationToken, TimeSpan.FromSeconds(60));

        run.ExitCode.ShouldBe(1, run.ToString());
        run.Stderr.Trim().ShouldBe("invalid configuration: THANOS_BRIDGE_AUTO_REGISTER: not true, but clusters --register uses auto-registration's settings " +
                                   "(THANOS_BRIDGE_KOKU_API_URL, THANOS_BRIDGE_KOKU_ORG_ID, ...); set it to true");
        run.Stdout.ShouldBeEmpty();
    }

    [Fact]
    public async Task ClustersDryRunWithoutRegister_IsAUsageError()
    {
        var env = new Dictionary<string, string> { ["THANOS_QUERY_URL"] = "http://127.0.0.1:1", ["THANOS_BRIDGE_CLUSTERS"] = "c1=o1" };

        var run = await BridgeProcess.RunAsync(env, ["clusters", "--dry-run"], TestContext.Current.CancellationToken, TimeSpan.FromSeconds(60));

        run.ExitCode.ShouldBe(2, run.ToString());
        run.Stderr.Trim().ShouldBe("clusters: --dry-run goes with --register");
    }

    [Fact]
    public async Task Serve_InvalidRegistrationSetting_ExitsWithOne_AndOneLine()
    {
        var env = new Dictionary<string, string>
        {
            ["THANOS_QUERY_URL"] = "http://127.0.0.1:1",
            ["DATABASE_SERVICE_HOST"] = "db",
            ["DATABASE_NAME"] = "koku",
            ["DATABASE_USER"] = "koku",
            ["DATABASE_PASSWORD"] = "pw",
            ["THANOS_BRIDGE_AUTO_REGISTER"] = "true",
            ["THANOS_BRIDGE_KOKU_API_URL"] = "http://koku:8000",
            ["THANOS_BRIDGE_KOKU_ORG_ID"] = "1234567",
            ["THANOS_BRIDGE_KUBERNETES_API_URL"] = "http://127.0.0.1:8001",
            ["THANOS_BRIDGE_AUTO_REGISTER_SELECTOR"] = "env in production",
        };

        var run = await BridgeProcess.RunAsync(env, ["serve"], TestContext.Current.CancellationToken, TimeSpan.FromSeconds(60));

        run.ExitCode.ShouldBe(1, run.ToString());
        var lines = run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Length.ShouldBe(1, run.ToString());
        lines[0].ShouldStartWith("invalid configuration: THANOS_BRIDGE_AUTO_REGISTER_SELECTOR: \"env in production\" is not a Kubernetes label selector");
    }

    private static List<string> Problems(Dictionary<string, string?> env)
    {
        try
        {
            BridgeSettingsLoader.Load(env);
            return [];
        }
        catch (ConfigurationException e)
        {
            return [.. e.AllProblems.Select(p => p.Message)];
        }
    }
}
