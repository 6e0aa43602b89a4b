using System.Text.RegularExpressions;
using ThanosBridge.Configuration;
using ThanosBridge.Health;

namespace ThanosBridge.OperationsTests.Chart;

/// <summary>templates/deployment.yaml wires every variable the bridge reads, secrets only from Secrets, and runs locked down.</summary>
public partial class DeploymentTests
{
    /// <summary>Variables the service reads that the Deployment deliberately does not set, each with the reason.</summary>
    private static readonly Dictionary<string, string> NotWired = new(StringComparer.Ordinal)
    {
        [BridgeVariables.ThanosQueryToken] =
            "the chart mounts the token as a file (THANOS_QUERY_TOKEN_FILE, from thanos.token) so it never appears in the pod spec; the bridge rejects both together",
        [BridgeVariables.InsightsKafkaHost] =
            "koku's single-broker alternative to KAFKA_BOOTSTRAP_SERVERS, which the chart sets from kafka.bootstrapServers; the bridge rejects the two when they differ",
        [BridgeVariables.InsightsKafkaPort] =
            "the port half of INSIGHTS_KAFKA_HOST, replaced by KAFKA_BOOTSTRAP_SERVERS for the same reason",
        [BridgeVariables.KubernetesApiUrl] =
            "in the pod the bridge lists ManagedClusters through the in-cluster API server and the mounted ServiceAccount token; the URL is for tests and development",
        [BridgeVariables.KubernetesToken] =
            "the token of the explicit API URL above; in the pod the mounted ServiceAccount token is used (and re-read when the kubelet rotates it)",
    };

    /// <summary>Variables the Deployment sets that the bridge does not list in BridgeVariables (read by .NET itself).</summary>
    private static readonly HashSet<string> FrameworkVariables = new(StringComparer.Ordinal) { "Logging__LogLevel__Default" };

    private static string Deployment => ChartFiles.Text("templates/deployment.yaml");

    private static IReadOnlyList<(string Name, string Entry)> Env => ChartFiles.NamedEntries(Deployment, "env:");

    [Fact]
    public void Env_SetsEveryVariableTheServiceReads_ExceptTheJustifiedOnes()
    {
        var wired = Env.Select(e => e.Name).ToHashSet(StringComparer.Ordinal);

        BridgeVariables.All.Where(v => !wired.Contains(v) && !NotWired.ContainsKey(v)).ShouldBeEmpty();
    }

    [Fact]
    public void Exemptions_AreVariablesTheServiceReads_AndAreReallyNotWired()
    {
        var wired = Env.Select(e => e.Name).ToHashSet(StringComparer.Ordinal);

        NotWired.Keys.ShouldBeSubsetOf(BridgeVariables.All);
        NotWired.Keys.Where(wired.Contains).ShouldBeEmpty("an exempt variable that is wired is a stale exemption");
        NotWired.Values.ShouldAllBe(reason => reason.Length > 20);
    }

    [Fact]
    public void Env_SetsNoVariableTheServiceDoesNotRead_AndNoneTwice()
    {
        var names = Env.Select(e => e.Name).ToList();

        names.Where(n => !BridgeVariables.All.Contains(n) && !FrameworkVariables.Contains(n)).ShouldBeEmpty();
        names.GroupBy(n => n, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ShouldBeEmpty();
    }

    [Fact]
    public void Env_TakesEveryCredentialFromASecretKeyRef_NeverFromAValue()
    {
        string[] credentials =
        [
            BridgeVariables.DatabaseUser, BridgeVariables.DatabasePassword, BridgeVariables.KafkaSaslUsername,
            BridgeVariables.KafkaSaslPassword, BridgeVariables.AwsAccessKeyId, BridgeVariables.AwsSecretAccessKey,
        ];
        BridgeVariables.Secrets.Except(NotWired.Keys).ShouldBeSubsetOf(credentials);

        foreach (var name in credentials)
        {
            var entry = Env.Single(e => e.Name == name).Entry;
            entry.ShouldContain("secretKeyRef:", customMessage: name);
            entry.ShouldNotContain("value:", customMessage: name);
        }
    }

    [Theory]
    [InlineData("DATABASE_USER", ".Values.database.secretName", ".Values.database.userKey")]
    [InlineData("DATABASE_PASSWORD", ".Values.database.secretName", ".Values.database.passwordKey")]
    [InlineData("AWS_ACCESS_KEY_ID", ".Values.objectStorage.secretName", ".Values.objectStorage.accessKeyKey")]
    [InlineData("AWS_SECRET_ACCESS_KEY", ".Values.objectStorage.secretName", ".Values.objectStorage.secretKeyKey")]
    [InlineData("KAFKA_SASL_USERNAME", ".Values.kafka.sasl.existingSecret", ".Values.kafka.sasl.usernameKey")]
    [InlineData("KAFKA_SASL_PASSWORD", ".Values.kafka.sasl.existingSecret", ".Values.kafka.sasl.passwordKey")]
    public void Credential_ComesFromTheNamedSecretAndKey(string variable, string secretName, string key)
    {
        var entry = Env.Single(e => e.Name == variable).Entry;

        entry.ShouldContain($"name: {{{{ {secretName} }}}}");
        entry.ShouldContain($"key: {{{{ {key} }}}}");
    }

    [Fact]
    public void SecretKeys_DefaultToKokuAndCostOnpremNames()
    {
        var values = ChartFiles.Values();

        ChartFiles.ValueAt(values, "database.userKey").ShouldBe("koku-user");
        ChartFiles.ValueAt(values, "database.passwordKey").ShouldBe("koku-password");
        ChartFiles.ValueAt(values, "objectStorage.accessKeyKey").ShouldBe("access-key");
        ChartFiles.ValueAt(values, "objectStorage.secretKeyKey").ShouldBe("secret-key");
    }

    [Theory]
    [InlineData("THANOS_QUERY_TOKEN_FILE", "thanos-bridge.paths.thanosToken", "thanos-token")]
    [InlineData("THANOS_QUERY_CA_FILE", "thanos-bridge.paths.thanosCa", "thanos-ca")]
    [InlineData("AWS_CA_BUNDLE", "thanos-bridge.paths.s3Ca", "s3-ca")]
    [InlineData("KAFKA_SSL_CA_LOCATION", "thanos-bridge.paths.kafkaCa", "kafka-ca")]
    public void FileVariable_PointsIntoAReadOnlyMountedVolume(string variable, string pathHelper, string volume)
    {
        var entry = Env.Single(e => e.Name == variable).Entry;
        var mount = ChartFiles.NamedEntries(Deployment, "volumeMounts:").Single(m => m.Name == volume).Entry;

        entry.ShouldContain($"value: {{{{ include \"{pathHelper}\" . }}}}/");
        mount.ShouldContain($"mountPath: {{{{ include \"{pathHelper}\" . }}}}");
        mount.ShouldContain("readOnly: true");
        var volumes = Deployment[Deployment.IndexOf("\n      volumes:\n", StringComparison.Ordinal)..];
        (volumes.Contains($"\n        - name: {volume}\n", StringComparison.Ordinal)
            || volumes.Contains($"(dict \"name\" \"{volume}\"", StringComparison.Ordinal)).ShouldBeTrue($"volume {volume} is defined");
    }

    [Fact]
    public void WritablePaths_AreOnlyTmpAndTheDataVolume_WhereDataAndOutputDirsPoint()
    {
        var mounts = ChartFiles.NamedEntries(Deployment, "volumeMounts:");
        var writable = mounts.Where(m => !m.Entry.Contains("readOnly: true", StringComparison.Ordinal)).ToList();

        writable.Select(m => m.Name).ShouldBe(["tmp", "data"]);
        writable[0].Entry.ShouldContain("mountPath: /tmp");
        writable[1].Entry.ShouldContain("mountPath: {{ include \"thanos-bridge.paths.data\" . }}");
        Env.Single(e => e.Name == BridgeVariables.DataDir).Entry.ShouldContain("value: {{ include \"thanos-bridge.paths.data\" . }}/data");
        Env.Single(e => e.Name == BridgeVariables.OutputDir).Entry.ShouldContain("value: {{ include \"thanos-bridge.paths.data\" . }}/out");
    }

    [Fact]
    public void ThanosQueryUrl_IsRequiredAtRenderTime()
    {
        var helpers = ChartFiles.Text("templates/_helpers.tpl");

        ChartFiles.Define(helpers, "thanos-bridge.validate").ShouldContain("required \"thanosQueryUrl is required");
        Deployment.ShouldStartWith("{{- include \"thanos-bridge.validate\" . -}}");
        Env.Single(e => e.Name == BridgeVariables.ThanosQueryUrl).Entry.ShouldContain(".Values.thanosQueryUrl");
    }

    [Fact]
    public void SecurityContexts_AreNonRootReadOnlyWithoutCapabilitiesAndWithSeccompRuntimeDefault()
    {
        var helpers = ChartFiles.Text("templates/_helpers.tpl");
        var pod = ChartFiles.ParseYamlMapping(ChartFiles.Define(helpers, "thanos-bridge.securityContext.pod"));
        var container = ChartFiles.ParseYamlMapping(ChartFiles.Define(helpers, "thanos-bridge.securityContext.container"));

        pod["runAsNonRoot"].ShouldBe(true);
        ChartFiles.ValueAt(pod, "seccompProfile.type").ShouldBe("RuntimeDefault");
        container["runAsNonRoot"].ShouldBe(true);
        container["allowPrivilegeEscalation"].ShouldBe(false);
        container["readOnlyRootFilesystem"].ShouldBe(true);
        container["privileged"].ShouldBe(false);
        ChartFiles.ValueAt(container, "capabilities.drop").ShouldBe(new List<object?> { "ALL" });
        ChartFiles.ValueAt(container, "seccompProfile.type").ShouldBe("RuntimeDefault");
        container.ShouldNotContainKey("runAsUser"); // OpenShift's restricted-v2 SCC assigns the uid

        PodSecurityContext().IsMatch(Deployment).ShouldBeTrue("the pod spec includes the pod security context");
        ContainerSecurityContext().IsMatch(Deployment).ShouldBeTrue("the container includes the container security context");
    }

    [Fact]
    public void ServiceAccountToken_IsNotMounted()
    {
        Deployment.ShouldContain("\n      automountServiceAccountToken: false\n");
        ChartFiles.Text("templates/serviceaccount.yaml").ShouldContain("\nautomountServiceAccountToken: false\n");
    }

    [Fact]
    public void Probes_UseHealthzForLivenessAndReadyzForReadiness_OnTheHttpPort()
    {
        Regex.IsMatch(Deployment, $@"livenessProbe:\n\s+httpGet:\n\s+path: {HealthEndpoints.LivenessPath}\n\s+port: http\n").ShouldBeTrue();
        Regex.IsMatch(Deployment, $@"readinessProbe:\n\s+httpGet:\n\s+path: {HealthEndpoints.ReadinessPath}\n\s+port: http\n").ShouldBeTrue();
        var ports = ChartFiles.NamedEntries(Deployment, "ports:");
        ports.Select(p => p.Name).ShouldBe(["http", "metrics"]);
        ports[0].Entry.ShouldContain("containerPort: {{ .Values.ports.http }}");
        ports[1].Entry.ShouldContain("containerPort: {{ .Values.ports.metrics }}");
    }

    [Fact]
    public void Ports_DefaultToTheServiceDefaults_AndTheServiceExposesBoth()
    {
        var values = ChartFiles.Values();
        ChartFiles.ValueAt(values, "ports.http").ShouldBe((long)BridgeSettings.DefaultHttpPort);
        ChartFiles.ValueAt(values, "ports.metrics").ShouldBe((long)BridgeSettings.DefaultMetricsPort);

        var service = ChartFiles.NamedEntries(ChartFiles.Text("templates/service.yaml"), "ports:");
        service.Select(p => p.Name).ShouldBe(["http", "metrics"]);
        service[0].Entry.ShouldContain("port: {{ .Values.ports.http }}");
        service[1].Entry.ShouldContain("port: {{ .Values.ports.metrics }}");
    }

    [Fact]
    public void Replicas_DefaultToOne_WithTheRecreateStrategy()
    {
        ChartFiles.Values()["replicas"].ShouldBe(1L);
        Deployment.ShouldContain("replicas: {{ .Values.replicas }}");
        Deployment.ShouldContain("strategy:\n    type: Recreate\n");
        Deployment.ShouldContain("args: [\"serve\"]");
    }

    [GeneratedRegex(@"\n      securityContext:\n        \{\{- include ""thanos-bridge\.securityContext\.pod"" \. \| nindent 8 \}\}\n")]
    private static partial Regex PodSecurityContext();

    [GeneratedRegex(@"\n          securityContext:\n            \{\{- include ""thanos-bridge\.securityContext\.container"" \. \| nindent 12 \}\}\n")]
    private static partial Regex ContainerSecurityContext();
}
