using System.Diagnostics;
using System.Text.RegularExpressions;

namespace ThanosBridge.OperationsTests.Chart;

/// <summary>Chart.yaml, the README's values table, and yamllint on every plain YAML file of the chart.</summary>
public partial class ChartMetadataTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void ChartYaml_DeclaresAnApplicationChartNamedAfterItsDirectory_WithSemverVersions()
    {
        var chart = ChartFiles.LoadYamlMapping("Chart.yaml");

        chart["apiVersion"].ShouldBe("v2");
        chart["name"].ShouldBe(Path.GetFileName(ChartFiles.Root));
        chart["type"].ShouldBe("application");
        chart["version"].ShouldBeOfType<string>().ShouldMatch(SemVer().ToString());
        chart["appVersion"].ShouldBeOfType<string>("quoted, so that 1.10 is not read as a number").ShouldMatch(SemVer().ToString());
        chart["description"].ShouldBeOfType<string>().Length.ShouldBeGreaterThan(20);
        chart["kubeVersion"].ShouldBeOfType<string>().ShouldStartWith(">=");
        chart.Keys.ShouldBeSubsetOf(["apiVersion", "name", "description", "type", "version", "appVersion", "kubeVersion", "keywords", "home", "sources", "maintainers", "annotations", "icon"]);
    }

    [Fact]
    public void Readme_ValuesTable_ListsEveryDeclaredValue()
    {
        var readme = ChartFiles.Text("README.md");
        var tableCells = ReadmeValueCell().Matches(readme).Select(m => m.Groups["path"].Value).ToHashSet(StringComparer.Ordinal);

        ChartFiles.DeclaredValues(ChartFiles.Schema()).Where(d => d.IsLeaf).Select(d => d.Path).Where(p => !tableCells.Contains(p)).ShouldBeEmpty();
        tableCells.Where(p => !ChartFiles.Declares(ChartFiles.Schema(), p)).ShouldBeEmpty("the table lists no value that does not exist");
    }

    /// <summary>The files yamllint checks: every plain YAML file of the chart (templates are Go templates).</summary>
    public static IReadOnlyList<string> PlainYamlFiles() =>
    [
        ".yamllint", "Chart.yaml", "values.yaml",
        .. (Directory.Exists(ChartFiles.PathOf("files")) ? Directory.GetFiles(ChartFiles.PathOf("files"), "*.yaml") : []).Select(p => "files/" + Path.GetFileName(p)).Order(StringComparer.Ordinal),
        .. ChartFiles.CiScenarios(),
    ];

    [Fact]
    public async Task Yamllint_PassesOnEveryPlainYamlFile()
    {
        var files = PlainYamlFiles();
        files.ShouldContain("ci/minimal-values.yaml");

        var (exitCode, output) = await Yamllint.RunAsync(ChartFiles.Root, files, Ct);

        exitCode.ShouldBe(0, output);
    }

    [Fact]
    public async Task Yamllint_FailsOnABrokenFile_WithTheChartsConfiguration()
    {
        var dir = Directory.CreateTempSubdirectory("chart-yamllint-");
        try
        {
            File.Copy(ChartFiles.PathOf(".yamllint"), Path.Combine(dir.FullName, ".yamllint"));
            await File.WriteAllTextAsync(
                Path.Combine(dir.FullName, "broken-values.yaml"),
                "replicas: 1\nreplicas: 2\nros:\n  enabled: yes\nimage:\n   tag: x   \n",
                Ct);

            var (exitCode, output) = await Yamllint.RunAsync(dir.FullName, ["broken-values.yaml"], Ct);

            exitCode.ShouldNotBe(0, output);
            output.ShouldContain("(key-duplicates)");
            output.ShouldContain("(truthy)");
            output.ShouldContain("(indentation)");
            output.ShouldContain("(trailing-spaces)");
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [GeneratedRegex(@"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$")]
    private static partial Regex SemVer();

    [GeneratedRegex(@"(?m)^\| `(?<path>[A-Za-z0-9.]+)` \|")]
    private static partial Regex ReadmeValueCell();
}

/// <summary>Runs yamllint (Debian's package, installed by scripts/setup.sh) with the chart's configuration.</summary>
internal static class Yamllint
{
    public static async Task<(int ExitCode, string Output)> RunAsync(string workingDirectory, IEnumerable<string> files, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("yamllint")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["--strict", "--format", "parsable", "--config-file", ".yamllint", .. files])
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("yamllint did not start");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return (process.ExitCode, (await stdout) + (await stderr));
    }
}
