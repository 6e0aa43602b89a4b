using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using ThanosBridge.Core.Reports;
using ThanosBridge.TestSupport.Koku;

namespace ThanosBridge.Core.Tests.Packaging;

/// <summary>
/// Each koku rule against a hand-made payload that breaks only that rule. The payloads are built here with
/// System.Formats.Tar and plain string joins, not with the production packager.
/// </summary>
public class KokuPayloadValidatorTests
{
    private const string Uuid = "3f0e2c51-9a7d-4b8e-a1c2-5d6e7f809a1b";
    private static readonly DateTimeOffset Day = new(2026, 8, 5, 0, 0, 0, TimeSpan.Zero);

    /// <summary>A valid three-hour payload; tests change one thing and build it.</summary>
    private sealed class HandMade
    {
        public HandMade()
        {
            var idx = 0;
            foreach (var table in SampleReportTables.ForDay(Day, 3).OrderBy(t => t.FileName, StringComparer.Ordinal))
            {
                var name = $"{Uuid}-{table.FileName[..^4]}.{idx++}.csv";
                Csvs.Add(name, (table.Kind, [.. table.Header], [.. table.Rows.Select(r => r.ToList())]));
            }

            Manifest = new JsonObject
            {
                ["uuid"] = Uuid,
                ["cluster_id"] = "30d0669b-4d46-479d-accb-9784e9d129d8",
                ["version"] = "thanos-bridge:4.4.2",
                ["date"] = "2026-08-05T03:10:07.123456789Z",
                ["files"] = new JsonArray([.. Csvs.Keys.Select(k => (JsonNode)JsonValue.Create(k))]),
                ["resource_optimization_files"] = new JsonArray(),
                ["start"] = "2026-08-05T00:00:00Z",
                ["end"] = "2026-08-05T02:59:59Z",
                ["cr_status"] = new JsonObject { ["upload"] = new JsonObject { ["upload"] = true } },
                ["certified"] = false,
                ["daily_reports"] = true,
            };
        }

        public Dictionary<string, (ReportKind Kind, List<string> Header, List<List<string>> Rows)> Csvs { get; } = [];

        public JsonObject Manifest { get; }

        /// <summary>Members added after the CSVs (before manifest.json unless <see cref="ManifestFirst"/>).</summary>
        public List<(string Name, byte[] Content, TarEntryType Type)> Extra { get; } = [];

        public bool ManifestFirst { get; set; }

        public string ManifestText { get; set; } = string.Empty;

        public (ReportKind Kind, List<string> Header, List<List<string>> Rows) Csv(ReportKind kind) =>
            Csvs.Values.Single(c => c.Kind == kind);

        public string Name(ReportKind kind) => Csvs.Single(c => c.Value.Kind == kind).Key;

        public static byte[] Text(string content) => Encoding.UTF8.GetBytes(content);

        public static string Join(List<string> header, List<List<string>> rows) =>
            string.Concat(new[] { header }.Concat(rows).Select(r => string.Join(",", r) + "\n"));

        public IEnumerable<(string Name, byte[] Content, TarEntryType Type)> Members()
        {
            var manifest = ("manifest.json", Text(ManifestText.Length > 0 ? ManifestText : Manifest.ToJsonString()), TarEntryType.RegularFile);
            if (ManifestFirst)
            {
                yield return manifest;
            }

            foreach (var (name, csv) in Csvs)
            {
                yield return (name, Text(Join(csv.Header, csv.Rows)), TarEntryType.RegularFile);
            }

            foreach (var extra in Extra)
            {
                yield return extra;
            }

            if (!ManifestFirst)
            {
                yield return manifest;
            }
        }

        public byte[] Build() => TarGz(Members());

        public ValidationResult Validate() => KokuPayloadValidator.Validate(Build());
    }

    private static byte[] TarGz(IEnumerable<(string Name, byte[] Content, TarEntryType Type)> members) => Gzip(Tar(members));

    private static byte[] Tar(IEnumerable<(string Name, byte[] Content, TarEntryType Type)> members)
    {
        using var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Ustar, leaveOpen: true))
        {
            foreach (var (name, content, type) in members)
            {
                // USTAR cannot hold a flat name over 100 characters; PAX can, and koku reads both.
                PosixTarEntry entry = name.Length > 100 ? new PaxTarEntry(type, name) : new UstarTarEntry(type, name);
                entry.ModificationTime = Day;
                if (type == TarEntryType.SymbolicLink)
                {
                    entry.LinkName = "manifest.json";
                }

                if (type is TarEntryType.RegularFile)
                {
                    entry.DataStream = new MemoryStream(content);
                }

                writer.WriteEntry(entry);
            }
        }

        return tar.ToArray();
    }

    private static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }

    private static void ShouldBreak(ValidationResult result, string rule)
    {
        result.IsValid.ShouldBeFalse();
        result.Rules.ShouldContain(rule, result.ToString());
    }

    private static void ShouldBreakOnly(ValidationResult result, string rule)
    {
        ShouldBreak(result, rule);
        result.Rules.ShouldBe([rule], ignoreOrder: true, customMessage: result.ToString());
    }

    [Fact]
    public void Validate_HandMadeBaseline_IsValidWithFacts()
    {
        var result = new HandMade().Validate();

        result.IsValid.ShouldBeTrue(result.ToString());
        result.Manifest!.Uuid.ShouldBe(Uuid);
        result.Manifest.Files.Count.ShouldBe(6);
        result.Manifest.HoursPerDay.ShouldBe(new Dictionary<DateOnly, int> { [new DateOnly(2026, 8, 5)] = 3 });
        result.Csvs.Select(c => c.Type).ShouldBe(
            [KokuReportType.NamespaceLabels, KokuReportType.NodeLabels, KokuReportType.GpuUsage, KokuReportType.PodUsage,
             KokuReportType.StorageUsage, KokuReportType.VmUsage]);
        result.Csv(KokuReportType.PodUsage).RowCount.ShouldBe(6);
        result.Members.Count.ShouldBe(7);
    }

    [Fact]
    public void Validate_PackagedRosFiles_DetectedAsRos()
    {
        var payload = new HandMade();
        var name = $"{Uuid}-ros-openshift-namespace-202608.6.csv";
        var ros = SampleReportTables.ForDay(Day, 1, includeRos: true).Single(t => t.Kind == ReportKind.RosNamespace);
        payload.Csvs.Add(name, (ros.Kind, [.. ros.Header], [.. ros.Rows.Select(r => r.ToList())]));
        payload.Manifest["resource_optimization_files"] = new JsonArray(JsonValue.Create(name));

        var result = payload.Validate();

        result.IsValid.ShouldBeTrue(result.ToString());
        result.Csv(KokuReportType.RosNamespace).RowCount.ShouldBe(4);
    }

    [Fact]
    public void AssertValid_BrokenPayload_ThrowsListingEveryViolation()
    {
        var payload = new HandMade();
        payload.Manifest["uuid"] = "not-a-uuid";
        payload.Manifest["daily_reports"] = false;

        var e = Should.Throw<KokuPayloadException>(() => KokuPayloadValidator.AssertValid(payload.Build()));

        e.Message.ShouldContain("[manifest.uuid]");
        e.Message.ShouldContain("[manifest.daily_reports]");
    }

    [Fact]
    public void Validate_NotGzip_BreaksGzip()
    {
        var result = KokuPayloadValidator.Validate(Tar(new HandMade().Members()));

        ShouldBreak(result, KokuRules.Gzip);
        result.Members.ShouldBeEmpty();
    }

    [Fact]
    public void Validate_GzipOfNonTar_BreaksTar() =>
        ShouldBreak(KokuPayloadValidator.Validate(Gzip(Encoding.ASCII.GetBytes(new string('x', 1024)))), KokuRules.Tar);

    [Fact]
    public void Validate_Symlink_BreaksMemberType()
    {
        var payload = new HandMade();
        payload.Extra.Add(("link.csv", [], TarEntryType.SymbolicLink));

        ShouldBreak(payload.Validate(), KokuRules.MemberType);
    }

    [Fact]
    public void Validate_Directory_BreaksMemberType()
    {
        var payload = new HandMade();
        payload.Extra.Add(("reports", [], TarEntryType.Directory));

        ShouldBreak(payload.Validate(), KokuRules.MemberType);
    }

    [Theory]
    [InlineData("./extra.csv")]
    [InlineData("dir/extra.csv")]
    [InlineData("../extra.csv")]
    [InlineData("a..b.csv")]
    public void Validate_MemberNotAtRoot_BreaksMemberName(string name)
    {
        var payload = new HandMade();
        payload.Extra.Add((name, HandMade.Text("a\n"), TarEntryType.RegularFile));

        ShouldBreak(payload.Validate(), KokuRules.MemberName);
    }

    [Fact]
    public void Validate_ManifestUnderDotSlash_BreaksManifestMissing()
    {
        var payload = new HandMade();
        var bytes = TarGz(payload.Members().Select(m => m.Name == "manifest.json" ? ("./manifest.json", m.Content, m.Type) : m));

        var result = KokuPayloadValidator.Validate(bytes);

        ShouldBreak(result, KokuRules.ManifestMissing);
        ShouldBreak(result, KokuRules.MemberName);
    }

    [Fact]
    public void Validate_DuplicateMember_BreaksMemberDuplicate()
    {
        var payload = new HandMade();
        var pod = payload.Name(ReportKind.Pod);
        payload.Extra.Add((pod, HandMade.Text(HandMade.Join(payload.Csv(ReportKind.Pod).Header, payload.Csv(ReportKind.Pod).Rows)), TarEntryType.RegularFile));

        ShouldBreakOnly(payload.Validate(), KokuRules.MemberDuplicate);
    }

    [Fact]
    public void Validate_NonCsvMember_BreaksMemberUnexpected()
    {
        var payload = new HandMade();
        payload.Extra.Add(("notes.txt", HandMade.Text("hi"), TarEntryType.RegularFile));

        ShouldBreakOnly(payload.Validate(), KokuRules.MemberUnexpected);
    }

    [Fact]
    public void Validate_CsvNotInManifest_BreaksMemberUnlisted()
    {
        var payload = new HandMade();
        ((JsonArray)payload.Manifest["files"]!).RemoveAt(0);

        ShouldBreakOnly(payload.Validate(), KokuRules.MemberUnlisted);
    }

    [Fact]
    public void Validate_ManifestNotLast_BreaksManifestLast()
    {
        var payload = new HandMade { ManifestFirst = true };

        ShouldBreakOnly(payload.Validate(), KokuRules.ManifestLast);
    }

    [Fact]
    public void Validate_NoManifest_BreaksManifestMissing()
    {
        var bytes = TarGz(new HandMade().Members().Where(m => m.Name != "manifest.json"));

        ShouldBreakOnly(KokuPayloadValidator.Validate(bytes), KokuRules.ManifestMissing);
    }

    [Theory]
    [InlineData("{\"uuid\": ")]
    [InlineData("[1, 2]")]
    public void Validate_ManifestNotAJsonObject_BreaksManifestJson(string text)
    {
        var payload = new HandMade { ManifestText = text };

        ShouldBreak(payload.Validate(), KokuRules.ManifestJson);
    }

    [Theory]
    [InlineData("6ba7b810-9dad-11d1-80b4-00c04fd430c8")] // version 1
    [InlineData("886313e1-3b8a-5372-9b90-0c9aee199e5d")] // version 5
    [InlineData("3f0e2c51-9a7d-4b8e-c1c2-5d6e7f809a1b")] // Microsoft variant
    [InlineData("3f0e2c519a7d4b8ea1c25d6e7f809a1b")]
    [InlineData(null)]
    public void Validate_UuidNotVersion4_BreaksManifestUuid(string? uuid)
    {
        var payload = new HandMade();
        payload.Manifest["uuid"] = uuid;

        ShouldBreakOnly(payload.Validate(), KokuRules.ManifestUuid);
    }

    [Theory]
    [InlineData("")]
    [InlineData("..")]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    public void Validate_UnsafeClusterId_BreaksManifestClusterId(string clusterId)
    {
        var payload = new HandMade();
        payload.Manifest["cluster_id"] = clusterId;

        ShouldBreakOnly(payload.Validate(), KokuRules.ManifestClusterId);
    }

    [Fact]
    public void Validate_ClusterIdMissing_BreaksManifestClusterId()
    {
        var payload = new HandMade();
        payload.Manifest.Remove("cluster_id");

        ShouldBreakOnly(payload.Validate(), KokuRules.ManifestClusterId);
    }

    [Theory]
    [InlineData("2026-08-05T03:10:07.1234567891Z")] // 10 fraction digits
    [InlineData("2026-08-05 03:10:07Z")]
    [InlineData("2026-08-05T03:10:07")] // no offset
    [InlineData("2026-02-30T03:10:07Z")]
    [InlineData("yesterday")]
    public void Validate_DateNotRfc3339_BreaksManifestDate(string date)
    {
        var payload = new HandMade();
        payload.Manifest["date"] = date;

        ShouldBreakOnly(payload.Validate(), KokuRules.ManifestDate);
    }

    [Theory]
    [InlineData("2026-08-05T03:10:07Z")]
    [InlineData("2026-08-05T05:10:07.5+02:00")]
    public void Validate_DateRfc3339Variants_Accepted(string date)
    {
        var payload = new HandMade();
        payload.Manifest["date"] = date;

        var result = payload.Validate();

        result.IsValid.ShouldBeTrue(result.ToString());
        result.Manifest!.Date!.Value.UtcDateTime.Hour.ShouldBe(3);
    }

    [Fact]
    public void Validate_FilesNull_BreaksManifestFiles()
    {
        var payload = new HandMade();
        payload.Manifest["resource_optimization_files"] = null;

        ShouldBreakOnly(payload.Validate(), KokuRules.ManifestFiles);
    }

    [Fact]
    public void Validate_FileListedTwice_BreaksManifestFiles()
    {
        var payload = new HandMade();
        var files = (JsonArray)payload.Manifest["files"]!;
        files.Add(files[0]!.GetValue<string>());

        ShouldBreakOnly(payload.Validate(), KokuRules.ManifestFiles);
    }

    [Fact]
    public void Validate_FileNameOver128Characters_BreaksManifestFiles()
    {
        var payload = new HandMade();
        var old = payload.Name(ReportKind.Node);
        var csv = payload.Csvs[old];
        payload.Csvs.Remove(old);
        var name = new string('n', 125) + ".csv";
        payload.Csvs.Add(name, csv);
        payload.Manifest["files"] = new JsonArray([.. payload.Csvs.Keys.Select(k => (JsonNode)JsonValue.Create(k))]);

        ShouldBreakOnly(payload.Validate(), KokuRules.ManifestFiles);
    }

    [Fact]
    public void Validate_ListedFileNotInArchive_BreaksManifestFileMissing()
    {
        var payload = new HandMade();
        ((JsonArray)payload.Manifest["files"]!).Add("missing.csv");

        ShouldBreakOnly(payload.Validate(), KokuRules.ManifestFileMissing);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("0001-01-01T00:00:00Z")]
    [InlineData("2026-08-05T01:00:00Z")]
    public void Validate_StartUnusable_BreaksManifestStart(string? start)
    {
        var payload = new HandMade();
        payload.Manifest["start"] = start;

        ShouldBreak(payload.Validate(), KokuRules.ManifestStart);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("0001-01-01T00:00:00Z")]
    [InlineData("2026-08-05T03:00:00Z")]
    [InlineData("2026-08-06T00:59:59Z")]
    public void Validate_EndUnusable_BreaksManifestEnd(string? end)
    {
        var payload = new HandMade();
        payload.Manifest["end"] = end;

        ShouldBreak(payload.Validate(), KokuRules.ManifestEnd);
    }

    [Fact]
    public void Validate_EndBeforeStart_BreaksManifestHours()
    {
        var payload = new HandMade();
        payload.Manifest["start"] = "2026-08-06T00:00:00Z";
        payload.Manifest["end"] = "2026-08-05T02:59:59Z";

        ShouldBreak(payload.Validate(), KokuRules.ManifestHours);
    }

    [Fact]
    public void Validate_WindowSpanningTwoDays_ReportsHoursPerDay()
    {
        var payload = new HandMade();
        payload.Manifest["end"] = "2026-08-06T02:59:59Z";

        var result = payload.Validate();

        ShouldBreak(result, KokuRules.ManifestEnd);
        result.Manifest!.HoursPerDay.ShouldBe(new Dictionary<DateOnly, int> { [new DateOnly(2026, 8, 5)] = 24, [new DateOnly(2026, 8, 6)] = 3 });
    }

    [Theory]
    [InlineData(false)]
    [InlineData(null)]
    public void Validate_DailyReportsNotTrue_BreaksManifestDailyReports(bool? daily)
    {
        var payload = new HandMade();
        payload.Manifest["daily_reports"] = daily;

        ShouldBreakOnly(payload.Validate(), KokuRules.ManifestDailyReports);
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    public void Validate_VersionEmpty_BreaksManifestVersion(string? version)
    {
        var payload = new HandMade();
        payload.Manifest["version"] = version;

        ShouldBreakOnly(payload.Validate(), KokuRules.ManifestVersion);
    }

    [Fact]
    public void Validate_CertifiedNotBoolean_BreaksManifestCertified()
    {
        var payload = new HandMade();
        payload.Manifest["certified"] = "no";

        ShouldBreakOnly(payload.Validate(), KokuRules.ManifestCertified);
    }

    [Fact]
    public void Validate_UploadToggleFalse_BreaksManifestCrStatus()
    {
        var payload = new HandMade();
        payload.Manifest["cr_status"] = new JsonObject { ["upload"] = new JsonObject { ["upload"] = false } };

        ShouldBreakOnly(payload.Validate(), KokuRules.ManifestCrStatus);
    }

    [Fact]
    public void Validate_StatusError_BreaksManifestCrStatus()
    {
        var payload = new HandMade();
        payload.Manifest["cr_status"] = new JsonObject
        {
            ["upload"] = new JsonObject { ["upload"] = true },
            ["prometheus"] = new JsonObject { ["error"] = "timeout" },
        };

        ShouldBreakOnly(payload.Validate(), KokuRules.ManifestCrStatus);
    }

    [Fact]
    public void Validate_StatusWithUrl_BreaksManifestCrStatus()
    {
        var payload = new HandMade();
        payload.Manifest["cr_status"] = new JsonObject
        {
            ["upload"] = new JsonObject { ["upload"] = true },
            ["prometheus"] = new JsonObject { ["service_address"] = "https://thanos-querier:9091" },
        };

        ShouldBreakOnly(payload.Validate(), KokuRules.ManifestCrStatus);
    }

    [Fact]
    public void Validate_SplitPartsWithDifferentManifests_BreaksPartsManifestMismatch()
    {
        var payload = new HandMade();
        var members = payload.Members().ToList();
        var manifest = members[^1];
        var other = (manifest.Name, HandMade.Text(manifest.Content.Length > 0 ? Encoding.UTF8.GetString(manifest.Content).Replace("03:10:07", "03:10:08", StringComparison.Ordinal) : ""), manifest.Type);
        var parts = members.SkipLast(1).Select((m, i) => TarGz([m, i == 0 ? other : manifest])).ToList();

        ShouldBreakOnly(KokuPayloadValidator.Validate(parts), KokuRules.PartsManifestMismatch);
    }

    [Fact]
    public void Validate_SplitPartWithTwoCsvs_BreaksPartsLayout()
    {
        var members = new HandMade().Members().ToList();
        var manifest = members[^1];
        var parts = new List<byte[]> { TarGz([members[0], members[1], manifest]) };
        parts.AddRange(members.Skip(2).SkipLast(1).Select(m => TarGz([m, manifest])));

        ShouldBreakOnly(KokuPayloadValidator.Validate(parts), KokuRules.PartsLayout);
    }

    [Fact]
    public void Validate_SplitPartsOneCsvEach_Valid()
    {
        var members = new HandMade().Members().ToList();
        var parts = members.SkipLast(1).Select(m => TarGz([m, members[^1]])).ToList();

        var result = KokuPayloadValidator.Validate(parts);

        result.IsValid.ShouldBeTrue(result.ToString());
        result.Members.Select(m => m.Part).Distinct().Count().ShouldBe(6);
    }

    [Fact]
    public void Validate_CsvInTwoParts_BreaksMemberDuplicate()
    {
        var members = new HandMade().Members().ToList();
        var parts = members.SkipLast(1).Select(m => TarGz([m, members[^1]])).Append(TarGz([members[0], members[^1]])).ToList();

        ShouldBreakOnly(KokuPayloadValidator.Validate(parts), KokuRules.MemberDuplicate);
    }

    [Fact]
    public void Validate_InvalidUtf8_BreaksCsvEncoding()
    {
        var payload = new HandMade();
        payload.Csv(ReportKind.Node).Rows[0][4] = "bad";
        var bytes = TarGz(payload.Members().Select(m => m.Name == payload.Name(ReportKind.Node)
            ? (m.Name, m.Content.Select(b => b == (byte)'b' ? (byte)0xFF : b).ToArray(), m.Type)
            : m));

        ShouldBreakOnly(KokuPayloadValidator.Validate(bytes), KokuRules.CsvEncoding);
    }

    [Theory]
    [InlineData("ab\"c")]
    [InlineData("\"unclosed")]
    [InlineData("\"closed\"x")]
    public void Validate_MalformedQuoting_BreaksCsvSyntax(string cell)
    {
        var payload = new HandMade();
        payload.Csv(ReportKind.Node).Rows[0][4] = cell;

        ShouldBreakOnly(payload.Validate(), KokuRules.CsvSyntax);
    }

    [Fact]
    public void Validate_QuotedFieldWithComma_Valid()
    {
        var payload = new HandMade();
        var vm = payload.Csv(ReportKind.VirtualMachine);
        vm.Rows[0][vm.Header.IndexOf("vm_guest_os_name")] = "\"Red Hat, \"\"Inc.\"\"\"";

        var result = payload.Validate();

        result.IsValid.ShouldBeTrue(result.ToString());
        var facts = result.Csv(KokuReportType.VmUsage);
        facts.Rows[0][facts.Header.ToList().IndexOf("vm_guest_os_name")].ShouldBe("Red Hat, \"Inc.\"");
    }

    [Fact]
    public void Validate_RequiredColumnMissing_BreaksCsvType()
    {
        var payload = new HandMade();
        var pod = payload.Csv(ReportKind.Pod);
        var column = pod.Header.IndexOf("pod_labels");
        pod.Header.RemoveAt(column);
        pod.Rows.ForEach(r => r.RemoveAt(column));

        var result = payload.Validate();

        ShouldBreakOnly(result, KokuRules.CsvType);
        result.Csvs.Single(c => c.Name == payload.Name(ReportKind.Pod)).Type.ShouldBe(KokuReportType.Unknown);
    }

    [Fact]
    public void Validate_GpuPodUtilizationColumn_BreaksCsvHeader()
    {
        var payload = new HandMade();
        var gpu = payload.Csv(ReportKind.NvidiaGpu);
        var column = gpu.Header.IndexOf("gpu_pod_uptime") + 1;
        gpu.Header.Insert(column, "gpu_pod_utilization");
        gpu.Rows.ForEach(r => r.Insert(column, "12.000000"));

        ShouldBreakOnly(payload.Validate(), KokuRules.CsvHeader);
    }

    [Fact]
    public void Validate_OptionalPodColumnDropped_DetectedButBreaksCsvHeader()
    {
        var payload = new HandMade();
        var pod = payload.Csv(ReportKind.Pod);
        var column = pod.Header.IndexOf("node_role");
        pod.Header.RemoveAt(column);
        pod.Rows.ForEach(r => r.RemoveAt(column));

        var result = payload.Validate();

        ShouldBreakOnly(result, KokuRules.CsvHeader);
        result.Csv(KokuReportType.PodUsage).RowCount.ShouldBe(6);
    }

    [Fact]
    public void Validate_RosFileWithCostHeader_BreaksCsvHeader()
    {
        var payload = new HandMade();
        var node = payload.Name(ReportKind.Node);
        payload.Manifest["files"]!.AsArray().Remove(payload.Manifest["files"]!.AsArray().First(n => n!.GetValue<string>() == node));
        payload.Manifest["resource_optimization_files"] = new JsonArray(JsonValue.Create(node));

        ShouldBreakOnly(payload.Validate(), KokuRules.CsvHeader);
    }

    [Fact]
    public void Validate_RowWithExtraField_BreaksCsvFieldCount()
    {
        var payload = new HandMade();
        payload.Csv(ReportKind.Namespace).Rows[1].Add("extra");

        ShouldBreakOnly(payload.Validate(), KokuRules.CsvFieldCount);
    }

    [Theory]
    [InlineData("2026-08-05T00:00:00Z")]
    [InlineData("2026-08-05 00:00:00 +0100 CET")]
    [InlineData("2026-08-05 00:00:00")]
    [InlineData("")]
    [InlineData("2026-08-32 00:00:00 +0000 UTC")]
    public void Validate_DatetimeNotGoUtcString_BreaksCsvDatetime(string value)
    {
        var payload = new HandMade();
        payload.Csv(ReportKind.Storage).Rows[0][3] = value;

        ShouldBreakOnly(payload.Validate(), KokuRules.CsvDatetime);
    }

    [Theory]
    [InlineData("2026-08-04 23:00:00 +0000 UTC")]
    [InlineData("2026-08-05 03:00:00 +0000 UTC")] // after end 02:59:59
    public void Validate_IntervalOutsideManifestWindow_BreaksCsvIntervalDay(string intervalStart)
    {
        var payload = new HandMade();
        payload.Csv(ReportKind.Pod).Rows[0][2] = intervalStart;

        ShouldBreakOnly(payload.Validate(), KokuRules.CsvIntervalDay);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("1,5")]
    [InlineData("0x10")]
    [InlineData("1.0.0")]
    public void Validate_NumberColumnNotNumeric_BreaksCsvNumber(string value)
    {
        var payload = new HandMade();
        var pod = payload.Csv(ReportKind.Pod);
        pod.Rows[0][pod.Header.IndexOf("pod_usage_cpu_core_seconds")] = value.Contains(',', StringComparison.Ordinal) ? $"\"{value}\"" : value;

        ShouldBreakOnly(payload.Validate(), KokuRules.CsvNumber);
    }

    [Theory]
    [InlineData("NaN")]
    [InlineData("+Inf")]
    [InlineData("-Inf")]
    [InlineData("-0.000000")]
    [InlineData("1e5")]
    [InlineData("")]
    public void Validate_NumberColumnGoSpecialOrEmpty_Valid(string value)
    {
        var payload = new HandMade();
        var vm = payload.Csv(ReportKind.VirtualMachine);
        vm.Rows[0][vm.Header.IndexOf("vm_cpu_usage_total_seconds")] = value;

        payload.Validate().IsValid.ShouldBeTrue();
    }

    [Fact]
    public void Validate_GpuMemoryCapacityNotNumeric_BreaksCsvNumber()
    {
        var payload = new HandMade();
        var gpu = payload.Csv(ReportKind.NvidiaGpu);
        gpu.Rows[0][gpu.Header.IndexOf("gpu_memory_capacity_mib")] = "15Gi";

        ShouldBreakOnly(payload.Validate(), KokuRules.CsvNumber);
    }

    [Theory]
    [InlineData("label_a:b:c")]
    [InlineData("label_a")]
    [InlineData("label_a:b||label_c:d")]
    [InlineData(":value")]
    public void Validate_MalformedLabels_BreaksCsvLabels(string labels)
    {
        var payload = new HandMade();
        payload.Csv(ReportKind.Namespace).Rows[0][5] = labels;

        ShouldBreakOnly(payload.Validate(), KokuRules.CsvLabels);
    }

    [Theory]
    [InlineData("node_role", 65)]
    [InlineData("resource_id", 257)]
    [InlineData("namespace", 254)]
    public void Validate_ValueLongerThanColumn_BreaksCsvLength(string column, int length)
    {
        var payload = new HandMade();
        var pod = payload.Csv(ReportKind.Pod);
        pod.Rows[0][pod.Header.IndexOf(column)] = new string('a', length);

        ShouldBreakOnly(payload.Validate(), KokuRules.CsvLength);
    }

    [Fact]
    public void Validate_ValueWithinColumnButNotAfterHtmlEscaping_BreaksCsvLength()
    {
        var payload = new HandMade();
        var pod = payload.Csv(ReportKind.Pod);
        pod.Rows[0][pod.Header.IndexOf("pod")] = new string('a', 250) + "&"; // 251 characters, 255 as "&amp;"

        ShouldBreakOnly(payload.Validate(), KokuRules.CsvLength);
    }

    [Fact]
    public void Validate_MigStrategyOverTenCharacters_BreaksCsvLength()
    {
        var payload = new HandMade();
        var gpu = payload.Csv(ReportKind.NvidiaGpu);
        gpu.Rows[0][gpu.Header.IndexOf("mig_strategy")] = "mixed-mixed";

        ShouldBreakOnly(payload.Validate(), KokuRules.CsvLength);
    }

    [Theory]
    [InlineData(ReportKind.Pod, "pod_usage_memory_byte_seconds")]
    [InlineData(ReportKind.Storage, "persistentvolumeclaim_capacity_bytes")]
    public void Validate_ValueAbove1e18_BreaksCsvAnomaly(ReportKind kind, string column)
    {
        var payload = new HandMade();
        var csv = payload.Csv(kind);
        csv.Rows[0][csv.Header.IndexOf(column)] = "1000000000000000001024.000000";

        ShouldBreakOnly(payload.Validate(), KokuRules.CsvAnomaly);
    }

    [Fact]
    public void Validate_Exactly1e18_Valid()
    {
        var payload = new HandMade();
        var pod = payload.Csv(ReportKind.Pod);
        pod.Rows[0][pod.Header.IndexOf("pod_usage_memory_byte_seconds")] = "1000000000000000000.000000";

        payload.Validate().IsValid.ShouldBeTrue();
    }

    [Fact]
    public void Validate_HeaderOnlyPodCsv_BreaksCsvPodEmpty()
    {
        var payload = new HandMade();
        payload.Csv(ReportKind.Pod).Rows.Clear();

        ShouldBreakOnly(payload.Validate(), KokuRules.CsvPodEmpty);
    }

    [Fact]
    public void Validate_HeaderOnlyVmCsv_Valid()
    {
        var payload = new HandMade();
        payload.Csv(ReportKind.VirtualMachine).Rows.Clear();

        payload.Validate().IsValid.ShouldBeTrue();
    }

    [Fact]
    public void Validate_EmptyCsvFile_BreaksCsvHeader()
    {
        var payload = new HandMade();
        var bytes = TarGz(payload.Members().Select(m => m.Name == payload.Name(ReportKind.Node) ? (m.Name, Array.Empty<byte>(), m.Type) : m));

        ShouldBreakOnly(KokuPayloadValidator.Validate(bytes), KokuRules.CsvHeader);
    }
}
