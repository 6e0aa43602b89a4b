using System.Text.RegularExpressions;
using ThanosBridge.Configuration;
using ThanosBridge.TestSupport;

namespace ThanosBridge.UnitTests.Docs;

/// <summary>Configuration drift: every variable the service reads is documented, and nothing documented is unknown.</summary>
public partial class DocumentationTests
{
    private static string Read(string path) => File.ReadAllText(Path.Combine(StackEnvironment.RepositoryRoot, path));

    [Theory]
    [InlineData("README.md")]
    [InlineData("docs/configuration.md")]
    public void EveryVariableTheServiceReads_IsInTheConfigurationTable(string document)
    {
        var documented = TableVariables().Matches(Read(document)).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);

        BridgeVariables.All.Where(n => !documented.Contains(n)).ShouldBeEmpty($"variables missing from {document}");
        documented.Where(n => !BridgeVariables.All.Contains(n)).ShouldBeEmpty($"{document} documents variables the service does not read");
    }

    [Fact]
    public void ReadmeLinks_PointToFilesThatExist()
    {
        var missing = MarkdownLinks().Matches(Read("README.md")).Select(m => m.Groups[1].Value)
            .Where(l => !l.StartsWith("http", StringComparison.Ordinal))
            .Where(l => !File.Exists(Path.Combine(StackEnvironment.RepositoryRoot, l)) && !Directory.Exists(Path.Combine(StackEnvironment.RepositoryRoot, l)));
        missing.ShouldBeEmpty();
    }

    [GeneratedRegex(@"^\| `([A-Z][A-Z0-9_]+)` \|", RegexOptions.Multiline)]
    private static partial Regex TableVariables();

    [GeneratedRegex(@"\]\(([^)#]+)\)")]
    private static partial Regex MarkdownLinks();
}
