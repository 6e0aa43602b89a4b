using System.Text;
using System.Text.RegularExpressions;
using ThanosBridge.TestSupport;

namespace ThanosBridge.OperationsTests;

/// <summary>One alerting rule of charts/thanos-bridge/files/alerts.yaml (an alert name may have several, one per severity).</summary>
internal sealed record AlertRule(
    string Name, string Expression, string? For, IReadOnlyDictionary<string, string> Labels, IReadOnlyDictionary<string, string> Annotations);

/// <summary>One alert_rule_test entry of a promtool test file.</summary>
internal sealed record AlertTestCase(string File, string AlertName, string EvalTime, IReadOnlyList<ExpectedAlert> Expected)
{
    public bool Firing => Expected.Count > 0;
}

/// <summary>One expected alert of an alert_rule_test entry.</summary>
internal sealed record ExpectedAlert(IReadOnlyDictionary<string, string> Labels, IReadOnlyDictionary<string, string> Annotations);

/// <summary>A <c>[LoggerMessage]</c> of the service: its EventId and its Message template, verbatim.</summary>
internal sealed record LogTemplate(int EventId, string Message, string File);

/// <summary>The operations bundle's files (alerts, their tests, runbooks, dashboard) and what the tests compare them with.</summary>
internal static partial class OperationsFiles
{
    public const string RunbookBase = "https://thanos-bridge.invalid/runbooks/";

    public static string Root => StackEnvironment.RepositoryRoot;

    public static string AlertsFile => Path.Combine(Root, "charts", "thanos-bridge", "files", "alerts.yaml");

    public static string AlertTestsDirectory => Path.Combine(Root, "charts", "thanos-bridge", "files", "alerts-tests");

    public static string DashboardFile => Path.Combine(Root, "charts", "thanos-bridge", "files", "dashboard.json");

    public static string RunbooksDirectory => Path.Combine(Root, "runbooks");

    public static IReadOnlyList<string> AlertTestFiles =>
        [.. Directory.GetFiles(AlertTestsDirectory, "*.yaml").Order(StringComparer.Ordinal)];

    public static IReadOnlyList<AlertRule> LoadAlertRules()
    {
        var root = YamlTree.Map(YamlTree.Parse(File.ReadAllText(AlertsFile)), "alerts.yaml");
        var rules = new List<AlertRule>();
        foreach (var group in YamlTree.List(root["groups"], "groups"))
        {
            var g = YamlTree.Map(group, "group");
            foreach (var rule in YamlTree.List(g["rules"], "rules"))
            {
                var r = YamlTree.Map(rule, "rule");
                if (!r.TryGetValue("alert", out var name))
                {
                    continue;
                }

                rules.Add(new AlertRule(
                    YamlTree.Scalar(name, "alert"),
                    YamlTree.Scalar(r["expr"], "expr"),
                    r.TryGetValue("for", out var f) ? YamlTree.Scalar(f, "for") : null,
                    Strings(r.GetValueOrDefault("labels")),
                    Strings(r.GetValueOrDefault("annotations"))));
            }
        }

        return rules;
    }

    public static IReadOnlyList<AlertTestCase> LoadAlertTestCases(string file)
    {
        var root = YamlTree.Map(YamlTree.Parse(File.ReadAllText(file)), file);
        var cases = new List<AlertTestCase>();
        foreach (var test in YamlTree.List(root["tests"], "tests"))
        {
            var t = YamlTree.Map(test, "test");
            if (!t.TryGetValue("alert_rule_test", out var alertTests))
            {
                continue;
            }

            foreach (var entry in YamlTree.List(alertTests, "alert_rule_test"))
            {
                var e = YamlTree.Map(entry, "alert_rule_test entry");
                var expected = e.GetValueOrDefault("exp_alerts") is { } exp
                    ? YamlTree.List(exp, "exp_alerts").Select(x => YamlTree.Map(x, "exp_alert"))
                        .Select(x => new ExpectedAlert(Strings(x.GetValueOrDefault("exp_labels")), Strings(x.GetValueOrDefault("exp_annotations"))))
                        .ToList()
                    : [];
                cases.Add(new AlertTestCase(Path.GetFileName(file), YamlTree.Scalar(e["alertname"], "alertname"),
                    YamlTree.Scalar(e["eval_time"], "eval_time"), expected));
            }
        }

        return cases;
    }

    public static IReadOnlyList<string> RuleFilesOf(string testFile) =>
        [.. YamlTree.List(YamlTree.Map(YamlTree.Parse(File.ReadAllText(testFile)), testFile)["rule_files"], "rule_files")
            .Select(x => YamlTree.Scalar(x, "rule file"))];

    /// <summary>
    /// The series names /metrics exports, from docs/metrics.md's table (a documentation test keeps that table equal to
    /// the exporter's output): histograms as their _bucket, _sum and _count series.
    /// </summary>
    public static IReadOnlySet<string> ExportedSeriesNames()
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in File.ReadAllLines(Path.Combine(Root, "docs", "metrics.md")))
        {
            var cells = line.Trim('|', ' ').Split(" | ").Select(c => c.Trim().Trim('`')).ToList();
            if (!line.StartsWith("| `thanos_bridge_", StringComparison.Ordinal) || cells.Count < 2)
            {
                continue;
            }

            if (cells[1] == "histogram")
            {
                names.UnionWith([cells[0] + "_bucket", cells[0] + "_sum", cells[0] + "_count"]);
            }
            else
            {
                names.Add(cells[0]);
            }
        }

        return names;
    }

    /// <summary>Every <c>[LoggerMessage(...)]</c> under src/, with its EventId and its Message (string literals joined).</summary>
    public static IReadOnlyList<LogTemplate> LogTemplates()
    {
        var templates = new List<LogTemplate>();
        foreach (var file in SourceFiles())
        {
            var text = File.ReadAllText(file);
            for (var at = text.IndexOf("[LoggerMessage(", StringComparison.Ordinal); at >= 0;
                 at = text.IndexOf("[LoggerMessage(", at + 1, StringComparison.Ordinal))
            {
                var arguments = AttributeArguments(text, at + "[LoggerMessage(".Length);
                var eventId = EventIdArgument().Match(arguments);
                var message = MessageArgument().Match(arguments);
                if (eventId.Success && message.Success)
                {
                    var literals = StringLiteral().Matches(message.Groups[1].Value).Select(l => Regex.Unescape(l.Groups[1].Value));
                    templates.Add(new LogTemplate(int.Parse(eventId.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture),
                        string.Concat(literals), Path.GetRelativePath(Root, file)));
                }
            }
        }

        return templates;
    }

    public static IEnumerable<string> SourceFiles() =>
        Directory.EnumerateFiles(Path.Combine(Root, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

    /// <summary>Markdown table rows of <paramref name="section"/> (header and separator excluded), cells trimmed.</summary>
    public static IReadOnlyList<IReadOnlyList<string>> TableRows(string markdownSection) =>
        [.. markdownSection.Split('\n')
            .Select(l => l.Trim())
            .Where(l => l.StartsWith('|') && !SeparatorRow().IsMatch(l))
            .Skip(1)
            .Select(l => (IReadOnlyList<string>)[.. SplitCells(l)])];

    /// <summary>The text under the level-2 heading <paramref name="heading"/>, up to the next level-2 heading; null if absent.</summary>
    public static string? Section(string markdown, string heading)
    {
        var lines = markdown.Split('\n');
        var start = Array.FindIndex(lines, l => l.TrimEnd() == "## " + heading);
        if (start < 0)
        {
            return null;
        }

        var end = Array.FindIndex(lines, start + 1, l => l.StartsWith("## ", StringComparison.Ordinal));
        return string.Join('\n', lines[(start + 1)..(end < 0 ? lines.Length : end)]);
    }

    private static IEnumerable<string> SplitCells(string row)
    {
        // Cells are separated by '|' outside backticks (a template in backticks may not contain '|', but be safe).
        var cell = new StringBuilder();
        var inCode = false;
        foreach (var c in row.Trim().Trim('|'))
        {
            if (c == '`')
            {
                inCode = !inCode;
            }

            if (c == '|' && !inCode)
            {
                yield return cell.ToString().Trim();
                cell.Clear();
                continue;
            }

            cell.Append(c);
        }

        yield return cell.ToString().Trim();
    }

    private static Dictionary<string, string> Strings(object? node) =>
        node is null
            ? new Dictionary<string, string>(StringComparer.Ordinal)
            : YamlTree.Map(node, "labels/annotations").ToDictionary(kv => kv.Key, kv => YamlTree.Scalar(kv.Value, kv.Key), StringComparer.Ordinal);

    /// <summary>The text between an attribute's opening parenthesis and its matching closing one, outside string literals.</summary>
    private static string AttributeArguments(string text, int start)
    {
        var depth = 1;
        var inString = false;
        for (var i = start; i < text.Length; i++)
        {
            var c = text[i];
            if (inString)
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == '"')
                {
                    inString = false;
                }

                continue;
            }

            switch (c)
            {
                case '"':
                    inString = true;
                    break;
                case '(':
                    depth++;
                    break;
                case ')' when --depth == 0:
                    return text[start..i];
            }
        }

        throw new FormatException("unterminated [LoggerMessage(");
    }

    [GeneratedRegex(@"EventId\s*=\s*(\d+)")]
    private static partial Regex EventIdArgument();

    [GeneratedRegex(@"\bMessage\s*=\s*((?:""(?:[^""\\]|\\.)*""\s*\+?\s*)+)")]
    private static partial Regex MessageArgument();

    [GeneratedRegex(@"""((?:[^""\\]|\\.)*)""")]
    private static partial Regex StringLiteral();

    [GeneratedRegex(@"^\|(\s*:?-{3,}:?\s*\|)+$")]
    private static partial Regex SeparatorRow();
}
