using System.Text.RegularExpressions;
using ThanosBridge.Commands;

namespace ThanosBridge.OperationsTests.Runbooks;

/// <summary>
/// runbooks/ has one page per alert, named after it, in the on-call structure, and everything a page quotes from the
/// service still exists: log message templates (verbatim, with their EventIds), EventIds in jq filters, metric names,
/// commands and their options, ledger tables.
/// </summary>
public sealed partial class RunbookTests
{
    private static readonly string[] RequiredSections = ["Overview", "Debugging steps", "Failure table", "Remediation", "Escalation"];

    public static TheoryData<string> Runbooks => [.. RunbookFiles().Select(Path.GetFileName).OfType<string>()];

    [Fact]
    public void EveryAlert_HasARunbookNamedAfterIt()
    {
        var runbooks = RunbookFiles().Select(Path.GetFileNameWithoutExtension).ToHashSet(StringComparer.Ordinal);

        AlertNames().Where(a => !runbooks.Contains(a)).ShouldBeEmpty("alerts without runbooks/<AlertName>.md");
    }

    [Fact]
    public void EveryRunbook_BelongsToAnAlert()
    {
        var alerts = AlertNames().ToHashSet(StringComparer.Ordinal);

        RunbookFiles().Select(Path.GetFileNameWithoutExtension).Where(r => !alerts.Contains(r!)).ShouldBeEmpty("runbooks without an alert");
    }

    [Theory]
    [MemberData(nameof(Runbooks))]
    public void Runbook_HasTheTitleAndEveryRequiredSectionInOrder(string fileName)
    {
        var text = Read(fileName);
        var headings = text.Split('\n').Where(l => l.StartsWith("## ", StringComparison.Ordinal)).Select(l => l[3..].Trim()).ToList();

        text.Split('\n')[0].ShouldBe("# " + Path.GetFileNameWithoutExtension(fileName));
        headings.Where(RequiredSections.Contains).ToList().ShouldBe([.. RequiredSections], ignoreOrder: false, customMessage: $"{fileName} must have the sections {string.Join(", ", RequiredSections)} in this order");
        foreach (var section in RequiredSections)
        {
            OperationsFiles.Section(text, section).ShouldNotBeNullOrWhiteSpace($"{fileName}: section {section} is empty");
        }

        OperationsFiles.Section(text, "Overview")!.ShouldContain("**Customer impact.**", customMessage: $"{fileName}: the overview states the customer impact");
        OperationsFiles.Section(text, "Debugging steps")!.ShouldContain("```bash", customMessage: $"{fileName}: debugging steps give commands to copy");
    }

    [Theory]
    [MemberData(nameof(Runbooks))]
    public void FailureTable_QuotesLogMessageTemplatesVerbatimWithTheirEventIds(string fileName)
    {
        var templates = OperationsFiles.LogTemplates();
        templates.Count.ShouldBeGreaterThan(40, "the [LoggerMessage] scan of src/ found too few templates");
        var rows = OperationsFiles.TableRows(OperationsFiles.Section(Read(fileName), "Failure table") ?? "");

        rows.ShouldNotBeEmpty($"{fileName} has no failure table rows");
        foreach (var row in rows)
        {
            row.Count.ShouldBe(4, $"{fileName}: failure table rows are | EventId | Log message | Cause | Resolution |: {string.Join(" | ", row)}");
            var quoted = CodeSpan().Match(row[1]);
            quoted.Success.ShouldBeTrue($"{fileName}: the log message must be in backticks: {row[1]}");
            var message = quoted.Groups[1].Value;
            if (int.TryParse(row[0], System.Globalization.CultureInfo.InvariantCulture, out var eventId))
            {
                templates.ShouldContain(t => t.EventId == eventId && t.Message == message,
                    $"{fileName}: no [LoggerMessage] with EventId {eventId} and Message \"{message}\" in src/ (changed or removed?)");
            }
            else
            {
                row[0].ShouldBe("—", $"{fileName}: the EventId column holds a number, or — for output that is not a log event");
                OperationsFiles.SourceFiles().ShouldContain(f => File.ReadAllText(f).Contains(message, StringComparison.Ordinal),
                    $"{fileName}: \"{message}\" no longer appears in src/");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Runbooks))]
    public void Runbook_EventIdsInCommandsExist(string fileName)
    {
        var known = OperationsFiles.LogTemplates().Select(t => t.EventId).ToHashSet();

        EventIdFilter().Matches(Read(fileName)).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))
            .Where(id => !known.Contains(id)).ShouldBeEmpty($"{fileName} filters on EventIds the service never logs");
    }

    [Fact]
    public void RunbooksAndOperationsDoc_NameOnlyExportedMetrics()
    {
        var exported = OperationsFiles.ExportedSeriesNames();
        var families = exported.Concat(exported.Select(n => HistogramSuffix().Replace(n, ""))).ToHashSet(StringComparer.Ordinal);
        var documents = RunbookFiles().Append(Path.Combine(OperationsFiles.Root, "runbooks", "README.md"))
            .Append(Path.Combine(OperationsFiles.Root, "docs", "operations.md"));

        foreach (var document in documents)
        {
            MetricName().Matches(File.ReadAllText(document)).Select(m => m.Value).Distinct()
                .Where(n => !families.Contains(n)).ShouldBeEmpty($"{Path.GetFileName(document)} names metrics the bridge does not export");
        }
    }

    [Fact]
    public void RunbooksAndOperationsDoc_CommandLines_ParseAsTheBridgeParsesThem()
    {
        var calls = 0;
        foreach (var document in RunbookFiles().Append(Path.Combine(OperationsFiles.Root, "runbooks", "README.md"))
                     .Append(Path.Combine(OperationsFiles.Root, "docs", "operations.md")))
        {
            foreach (Match call in CommandCall().Matches(File.ReadAllText(document)))
            {
                calls++;
                var command = call.Groups[1].Value;
                var where = $"{Path.GetFileName(document)}: {call.Value}";
                BridgeCommandLine.Commands.Keys.ShouldContain(command, $"unknown command '{command}' in {where}");
                var args = ShellWords(call.Groups[2].Value);
                Should.NotThrow(() => CommandArguments.Parse(command, args, BridgeCommandLine.Commands[command]), where);
            }
        }

        calls.ShouldBeGreaterThan(10, "the documents show how to run the bridge's commands");
    }

    [Fact]
    public void CommandLineParser_RejectsWhatTheDocumentTestWouldCatch()
    {
        // The document test above relies on these: an unknown option and a missing value are usage errors.
        Should.Throw<UsageException>(() => CommandArguments.Parse("once", ShellWords("--clusterid c1"), BridgeCommandLine.Commands["once"]));
        Should.Throw<UsageException>(() => CommandArguments.Parse("once", ShellWords("--cluster"), BridgeCommandLine.Commands["once"]));
        Should.Throw<UsageException>(() => CommandArguments.Parse("clusters", ShellWords("--day 2026-01-01"), BridgeCommandLine.Commands["clusters"]));
        BridgeCommandLine.Commands.Keys.ShouldNotContain("deliver");
    }

    /// <summary>The arguments of a documented call: shell words up to a pipe, redirection, separator or comment.</summary>
    private static List<string> ShellWords(string text)
    {
        var words = new List<string>();
        foreach (var word in text.Replace("\\\n", " ", StringComparison.Ordinal).Split([' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries))
        {
            if (word is "|" or "||" or "&&" or ";" or "#" || word.StartsWith('>') || word.StartsWith("2>", StringComparison.Ordinal))
            {
                break;
            }

            words.Add(word.Trim('"', '\''));
        }

        return words;
    }

    [Fact]
    public void Runbooks_QueryOnlyLedgerTablesTheMigrationsCreate()
    {
        var migrations = string.Concat(Directory.GetFiles(
            Path.Combine(OperationsFiles.Root, "src", "ThanosBridge.Adapters", "Ledger", "Migrations", "Postgres"), "*.cs").Select(File.ReadAllText));
        var tables = CreatedTable().Matches(migrations).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        tables.ShouldContain("snapshots");

        // Beside the model's tables: the history EF Core keeps, and the hand-written migrations' table on schemas taken over.
        tables.UnionWith(["__EFMigrationsHistory", "schema_migrations"]);

        foreach (var document in RunbookFiles().Append(Path.Combine(OperationsFiles.Root, "runbooks", "README.md")))
        {
            LedgerTable().Matches(File.ReadAllText(document)).Select(m => m.Groups[1].Value)
                .Where(t => !tables.Contains(t)).ShouldBeEmpty($"{Path.GetFileName(document)} queries ledger tables that do not exist");
        }
    }

    [Fact]
    public void RunbookIndex_ListsEveryRunbookWithTheSeveritiesOfItsAlert()
    {
        var index = OperationsFiles.TableRows(OperationsFiles.Section(Read("README.md"), "Index") ?? "");
        var rules = OperationsFiles.LoadAlertRules();

        index.Select(r => r[0]).Order(StringComparer.Ordinal).ShouldBe(AlertNames().Order(StringComparer.Ordinal));
        foreach (var row in index)
        {
            row[2].ShouldBe($"[{row[0]}]({row[0]}.md)");
            File.Exists(Path.Combine(OperationsFiles.RunbooksDirectory, row[0] + ".md")).ShouldBeTrue(row[0]);
            foreach (var rule in rules.Where(r => r.Name == row[0]))
            {
                row[1].ShouldContain(rule.Labels["severity"], customMessage: $"index row of {row[0]}");
            }
        }
    }

    [Fact]
    public void OperationsDoc_AlertTable_ListsEveryAlertWithSeverityAndRunbookLink()
    {
        var doc = File.ReadAllText(Path.Combine(OperationsFiles.Root, "docs", "operations.md"));
        var rows = OperationsFiles.TableRows(OperationsFiles.Section(doc, "Alerts") ?? "");
        var rules = OperationsFiles.LoadAlertRules();

        rows.Select(r => r[0].Trim('`')).Order(StringComparer.Ordinal).ShouldBe(AlertNames().Order(StringComparer.Ordinal));
        foreach (var row in rows)
        {
            var name = row[0].Trim('`');
            foreach (var rule in rules.Where(r => r.Name == name))
            {
                row[1].ShouldContain(rule.Labels["severity"], customMessage: $"operations.md alert row of {name}");
            }

            row[^1].ShouldBe($"[runbook](../runbooks/{name}.md)");
            File.Exists(Path.Combine(OperationsFiles.RunbooksDirectory, name + ".md")).ShouldBeTrue(name);
        }
    }

    private static IEnumerable<string> AlertNames() => OperationsFiles.LoadAlertRules().Select(r => r.Name).Distinct();

    private static IEnumerable<string> RunbookFiles() =>
        Directory.GetFiles(OperationsFiles.RunbooksDirectory, "*.md")
            .Where(f => Path.GetFileName(f) != "README.md")
            .Order(StringComparer.Ordinal);

    private static string Read(string fileName) => File.ReadAllText(Path.Combine(OperationsFiles.RunbooksDirectory, fileName));

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex CodeSpan();

    [GeneratedRegex(@"EventId\s*==\s*(\d+)")]
    private static partial Regex EventIdFilter();

    [GeneratedRegex(@"\bthanos_bridge_[a-z_]*[a-z]\b")]
    private static partial Regex MetricName();

    [GeneratedRegex("_(bucket|sum|count)$")]
    private static partial Regex HistogramSuffix();


    // A call ends at a line end, a backtick or a pipe; a backslash at a line end continues it.
    [GeneratedRegex(@"ThanosBridge\.dll ([a-z-]+)((?:[^\n`|\\]|\\\n)*)")]
    private static partial Regex CommandCall();



    [GeneratedRegex(@"CreateTable\(\s*name: ""(\w+)""")]
    private static partial Regex CreatedTable();

    [GeneratedRegex(@"\bthanos_bridge\.(\w+)")]
    private static partial Regex LedgerTable();
}
