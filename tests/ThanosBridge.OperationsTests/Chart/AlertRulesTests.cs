using System.Text.RegularExpressions;
using ThanosBridge.Core.Delivery;
using ThanosBridge.Core.Discovery;

namespace ThanosBridge.OperationsTests.Chart;

/// <summary>
/// The alerts are code: charts/thanos-bridge/files/alerts.yaml must pass <c>promtool check rules</c>, its promtool unit
/// tests (files/alerts-tests/*.yaml) must pass and must be able to fail, every alert must be tested firing and quiet,
/// and every alert must carry what on-call needs (severity, summary, description, runbook link).
/// </summary>
public sealed partial class AlertRulesTests
{
    private static readonly string[] Severities = ["critical", "warning", "info"];

    /// <summary>The alerts the operations bundle promises (docs/operations.md and runbooks/ describe exactly these).</summary>
    public static readonly string[] ExpectedAlerts =
    [
        "ThanosBridgeDown",
        "ThanosBridgeNoSuccessfulRun",
        "ThanosBridgeClusterDeliveryStale",
        "ThanosBridgeQueryFailureRateHigh",
        "ThanosBridgeS3UploadFailing",
        "ThanosBridgeKafkaPublishFailing",
        "ThanosBridgeClustersSkipped",
        "ThanosBridgeUnregisteredClusters",
        "ThanosBridgeMetricFamilyMissing",
        "ThanosBridgeNotReady",
        "ThanosBridgeClusterRegistrationFailing",
        "ThanosBridgeDeliveryUnconfirmed",
    ];

    public static TheoryData<string> TestFiles => [.. OperationsFiles.AlertTestFiles.Select(Path.GetFileName).OfType<string>()];

    [Fact]
    public async Task PromtoolCheckRules_AlertsFile_Succeeds()
    {
        var (exitCode, output) = await PromtoolRunner.RunAsync(["check", "rules", OperationsFiles.AlertsFile], OperationsFiles.Root);

        exitCode.ShouldBe(0, output);
        output.ShouldContain("SUCCESS");
    }

    [Fact]
    public async Task PromtoolTestRules_EveryTestFile_Succeeds()
    {
        var (exitCode, output) = await PromtoolRunner.RunAsync(["test", "rules", .. OperationsFiles.AlertTestFiles], OperationsFiles.AlertTestsDirectory);

        exitCode.ShouldBe(0, output);
        Regex.Count(output, @"^\s+SUCCESS\s*$", RegexOptions.Multiline).ShouldBe(OperationsFiles.AlertTestFiles.Count, output);
    }

    [Fact]
    public void AlertsFile_AlertNames_AreExactlyTheExpectedOnes()
    {
        OperationsFiles.LoadAlertRules().Select(r => r.Name).Distinct().Order(StringComparer.Ordinal)
            .ShouldBe(ExpectedAlerts.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void AlertsFile_ReaderSeesEveryRule()
    {
        // Guards the YAML reader: it must see as many alerts as there are "- alert:" lines.
        var lines = File.ReadAllLines(OperationsFiles.AlertsFile).Count(l => l.TrimStart().StartsWith("- alert:", StringComparison.Ordinal));

        OperationsFiles.LoadAlertRules().Count.ShouldBe(lines);
    }

    [Fact]
    public void EveryAlert_HasSeveritySummaryDescriptionAndRunbookUrl()
    {
        foreach (var rule in OperationsFiles.LoadAlertRules())
        {
            rule.Labels.GetValueOrDefault("severity").ShouldBeOneOf(Severities, rule.Name);
            rule.Annotations.GetValueOrDefault("summary").ShouldNotBeNullOrWhiteSpace(rule.Name);
            rule.Annotations.GetValueOrDefault("description").ShouldNotBeNullOrWhiteSpace(rule.Name);
            rule.Annotations.GetValueOrDefault("runbook_url").ShouldBe($"{OperationsFiles.RunbookBase}{rule.Name}.md", rule.Name);
            rule.Annotations.Keys.Order(StringComparer.Ordinal).ToList().ShouldBe(["description", "runbook_url", "summary"], rule.Name);
        }
    }

    [Fact]
    public void AlertsWithSeveralRules_HaveOneRulePerSeverity()
    {
        foreach (var group in OperationsFiles.LoadAlertRules().GroupBy(r => r.Name))
        {
            group.Select(r => r.Labels["severity"]).ShouldBeUnique(group.Key);
        }
    }

    [Fact]
    public void EveryAlert_HasAFiringAndAQuietTestCase_AtSeveralEvalTimes()
    {
        var cases = OperationsFiles.AlertTestFiles.SelectMany(OperationsFiles.LoadAlertTestCases).ToList();

        foreach (var name in OperationsFiles.LoadAlertRules().Select(r => r.Name).Distinct())
        {
            var mine = cases.Where(c => c.AlertName == name).ToList();
            mine.ShouldContain(c => c.Firing, $"{name} has no test case in which it fires");
            mine.ShouldContain(c => !c.Firing, $"{name} has no test case in which it stays quiet");
            mine.Select(c => c.EvalTime).Distinct().Count().ShouldBeGreaterThanOrEqualTo(3, $"{name} is tested at fewer than 3 eval_times");
        }
    }

    [Fact]
    public void EveryAlertWithSeveralSeverities_IsTestedFiringAtEachSeverity()
    {
        var cases = OperationsFiles.AlertTestFiles.SelectMany(OperationsFiles.LoadAlertTestCases).ToList();

        foreach (var rule in OperationsFiles.LoadAlertRules())
        {
            cases.Where(c => c.AlertName == rule.Name).SelectMany(c => c.Expected)
                .ShouldContain(e => e.Labels.GetValueOrDefault("severity") == rule.Labels["severity"],
                    $"{rule.Name} is never expected to fire with severity {rule.Labels["severity"]}");
        }
    }

    [Fact]
    public void EveryExpectedAlert_ChecksSeverityAndEveryAnnotation()
    {
        var rules = OperationsFiles.LoadAlertRules();
        foreach (var testCase in OperationsFiles.AlertTestFiles.SelectMany(OperationsFiles.LoadAlertTestCases))
        {
            rules.ShouldContain(r => r.Name == testCase.AlertName, $"{testCase.File} tests an alert that does not exist: {testCase.AlertName}");
            foreach (var expected in testCase.Expected)
            {
                var where = $"{testCase.File}, {testCase.AlertName} at {testCase.EvalTime}";
                expected.Labels.GetValueOrDefault("severity").ShouldBeOneOf(Severities, where);
                expected.Annotations.GetValueOrDefault("runbook_url").ShouldBe($"{OperationsFiles.RunbookBase}{testCase.AlertName}.md", where);
                expected.Annotations.GetValueOrDefault("summary").ShouldNotBeNullOrWhiteSpace(where);
                expected.Annotations.GetValueOrDefault("description").ShouldNotBeNullOrWhiteSpace(where);
            }
        }
    }

    [Fact]
    public void EveryTestFile_IsNamedAfterTheAlertItTests_AndReadsTheChartsRulesFile()
    {
        foreach (var file in OperationsFiles.AlertTestFiles)
        {
            OperationsFiles.LoadAlertTestCases(file).Select(c => c.AlertName).Distinct().ShouldBe([Path.GetFileNameWithoutExtension(file)], file);
            OperationsFiles.RuleFilesOf(file).ShouldBe(["../alerts.yaml"], file);
        }
    }

    [Fact]
    public void AlertExpressions_UseOnlyMetricsTheBridgeExports()
    {
        var exported = OperationsFiles.ExportedSeriesNames();
        exported.ShouldContain("thanos_bridge_runs_total");

        foreach (var rule in OperationsFiles.LoadAlertRules())
        {
            var names = PromqlMetricNames.Of(rule.Expression);
            names.ShouldNotBeEmpty(rule.Name);
            names.Where(n => n != "up" && !exported.Contains(n)).ShouldBeEmpty($"{rule.Name} uses metrics the bridge does not export");
        }
    }

    [Fact]
    public void ClustersSkipped_AlertsOnExactlyTheProblemReasons()
    {
        // paused, pending_delete and inactive are the user's choice and must never page anyone.
        var rule = OperationsFiles.LoadAlertRules().Single(r => r.Name == "ThanosBridgeClustersSkipped");
        var reasons = ReasonMatcher().Match(rule.Expression);

        reasons.Success.ShouldBeTrue(rule.Expression);
        reasons.Groups[1].Value.Split('|').Order(StringComparer.Ordinal).ShouldBe(SkipReasons.Problems.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(TestFiles))]
    public async Task PromtoolTestRules_CopyWithAWrongExpectation_Fails(string fileName)
    {
        var temp = Directory.CreateTempSubdirectory("thanos-bridge-alert-tests-");
        try
        {
            var source = File.ReadAllText(Path.Combine(OperationsFiles.AlertTestsDirectory, fileName))
                .Replace("- ../alerts.yaml", "- " + OperationsFiles.AlertsFile, StringComparison.Ordinal);
            var intact = Path.Combine(temp.FullName, "intact-" + fileName);
            await File.WriteAllTextAsync(intact, source, TestContext.Current.CancellationToken);
            var (intactExit, intactOutput) = await PromtoolRunner.RunAsync(["test", "rules", intact], temp.FullName);
            intactExit.ShouldBe(0, "the unmodified copy must pass, so that the broken one fails for the change alone: " + intactOutput);

            // Break one expectation: the first expected summary gains a word.
            var summary = SummaryLine().Match(source);
            summary.Success.ShouldBeTrue($"{fileName} expects no summary");
            var broken = Path.Combine(temp.FullName, "broken-" + fileName);
            await File.WriteAllTextAsync(broken, source.Remove(summary.Index, summary.Length).Insert(summary.Index, summary.Value + " (broken)"),
                TestContext.Current.CancellationToken);

            var (exitCode, output) = await PromtoolRunner.RunAsync(["test", "rules", broken], temp.FullName);

            exitCode.ShouldNotBe(0, output);
            output.ShouldContain("FAILED");
            output.ShouldContain(Path.GetFileNameWithoutExtension(fileName));
        }
        finally
        {
            temp.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task PromtoolTestRules_RulesCopyWithAChangedSeverity_Fails()
    {
        var temp = Directory.CreateTempSubdirectory("thanos-bridge-alert-rules-");
        try
        {
            var rules = File.ReadAllText(OperationsFiles.AlertsFile);
            var marker = rules.IndexOf("- alert: ThanosBridgeDown", StringComparison.Ordinal);
            var severity = rules.IndexOf("severity: critical", marker, StringComparison.Ordinal);
            await File.WriteAllTextAsync(Path.Combine(temp.FullName, "alerts.yaml"),
                rules.Remove(severity, "severity: critical".Length).Insert(severity, "severity: warning"), TestContext.Current.CancellationToken);
            var testFile = Path.Combine(temp.FullName, "tests", "ThanosBridgeDown.yaml");
            Directory.CreateDirectory(Path.GetDirectoryName(testFile)!);
            File.Copy(Path.Combine(OperationsFiles.AlertTestsDirectory, "ThanosBridgeDown.yaml"), testFile);

            var (exitCode, output) = await PromtoolRunner.RunAsync(["test", "rules", testFile], temp.FullName);

            exitCode.ShouldNotBe(0, output);
            output.ShouldContain("ThanosBridgeDown");
        }
        finally
        {
            temp.Delete(recursive: true);
        }
    }

    [GeneratedRegex(@"reason=~""([^""]+)""")]
    private static partial Regex ReasonMatcher();

    [GeneratedRegex(@"(?<=\n\s+summary: )[^\n]+")]
    private static partial Regex SummaryLine();
}
