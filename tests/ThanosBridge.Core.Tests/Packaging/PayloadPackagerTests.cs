using System.Formats.Tar;
using System.Text;
using ThanosBridge.Core.Csv;
using ThanosBridge.Core.Packaging;
using ThanosBridge.Core.Reports;
using ThanosBridge.TestSupport.Koku;
using static ThanosBridge.Core.Tests.Packaging.PackagingTestData;

namespace ThanosBridge.Core.Tests.Packaging;

public class PayloadPackagerTests
{
    private static readonly string[] AllNames =
    [
        $"{UuidText}-cm-openshift-namespace-usage-202608.0.csv",
        $"{UuidText}-cm-openshift-node-usage-202608.1.csv",
        $"{UuidText}-cm-openshift-nvidia-gpu-usage-202608.2.csv",
        $"{UuidText}-cm-openshift-pod-usage-202608.3.csv",
        $"{UuidText}-cm-openshift-storage-usage-202608.4.csv",
        $"{UuidText}-cm-openshift-vm-usage-202608.5.csv",
        $"{UuidText}-ros-openshift-container-202608.6.csv",
        $"{UuidText}-ros-openshift-namespace-202608.7.csv",
    ];

    [Fact]
    public void Package_AllEightTables_OneTarballWithCsvsInIdxOrderAndManifestLast()
    {
        var result = PayloadPackager.Package(Request());

        result.IsSplit.ShouldBeFalse();
        var payload = result.Payloads.ShouldHaveSingleItem();
        payload.FileName.ShouldBe($"{UuidText}.tar.gz");
        Members(payload.Content).Select(m => m.Name).ShouldBe([.. AllNames, "manifest.json"]);
        KokuPayloadValidator.AssertValid(payload.Content);
    }

    [Fact]
    public void Package_AllEightTables_ManifestListsCostAndRosFilesInIdxOrder()
    {
        var manifest = PayloadPackager.Package(Request()).Manifest;

        manifest.Files.ShouldBe(AllNames[..6]);
        manifest.ResourceOptimizationFiles.ShouldBe(AllNames[6..]);
        manifest.Uuid.ShouldBe(Uuid);
        manifest.ClusterId.ShouldBe(ClusterId);
        manifest.Version.ShouldBe("thanos-bridge:4.4.2");
        manifest.Date.ShouldBe(PackagingTime);
        manifest.Start.ShouldBe(Day);
        manifest.End.ShouldBe(Day.AddHours(2).AddMinutes(59).AddSeconds(59));
    }

    [Fact]
    public void Package_WithoutRos_RosListEmptyAndSixMembers()
    {
        var result = PayloadPackager.Package(Request(ros: false));

        result.Manifest.ResourceOptimizationFiles.ShouldBeEmpty();
        result.Manifest.ToJson().ShouldContain("\"resource_optimization_files\": [],");
        Members(result.Payloads[0].Content).Select(m => m.Name).ShouldBe([.. AllNames[..6], "manifest.json"]);
        KokuPayloadValidator.AssertValid(result.Payloads[0].Content);
    }

    [Fact]
    public void Package_OnlyRosContainer_GetsIdxSix()
    {
        var tables = SampleReportTables.ForDay(Day, 3, includeRos: true).Where(t => t.Kind != ReportKind.RosNamespace).ToList();

        var result = PayloadPackager.Package(Request(tables: tables));

        result.Manifest.ResourceOptimizationFiles.ShouldBe([AllNames[6]]);
        KokuPayloadValidator.AssertValid(result.Payloads[0].Content);
    }

    [Fact]
    public void Package_TablesInAnyOrder_SameBytes()
    {
        var tables = SampleReportTables.ForDay(Day, 3, includeRos: true);

        var shuffled = PayloadPackager.Package(Request(tables: [.. tables.Reverse()]));

        shuffled.Payloads[0].Content.ShouldBe(PayloadPackager.Package(Request(tables: tables)).Payloads[0].Content);
    }

    [Fact]
    public void Package_SameRequestTwice_IdenticalBytes()
    {
        var first = PayloadPackager.Package(Request());
        var second = PayloadPackager.Package(Request());

        second.Payloads[0].Content.ShouldBe(first.Payloads[0].Content);
        second.Manifest.ToJson().ShouldBe(first.Manifest.ToJson());
    }

    [Fact]
    public void Package_MemberContent_IsCsvWriterOutputAndManifestJson()
    {
        var request = Request();
        var result = PayloadPackager.Package(request);

        var members = Members(result.Payloads[0].Content);

        var pod = request.Tables.Single(t => t.Kind == ReportKind.Pod);
        members[3].Content.ShouldBe(CsvWriter.ToBytes(pod));
        Encoding.UTF8.GetString(members[^1].Content).ShouldBe(result.Manifest.ToJson());
    }

    [Fact]
    public void Package_GzipHeader_IsGoCompressGzipHeader()
    {
        var content = PayloadPackager.Package(Request()).Payloads[0].Content;

        content[..10].ShouldBe(new byte[] { 0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff });
    }

    [Fact]
    public void Package_TarHeaders_UstarRegularFilesMode0644RootOwnedTruncatedMtime()
    {
        var tar = Gunzip(PayloadPackager.Package(Request()).Payloads[0].Content);
        var expectedMtime = Convert.ToString(Day.AddHours(3).AddMinutes(10).AddSeconds(7).ToUnixTimeSeconds(), 8);

        var offset = 0;
        var count = 0;
        while (tar[offset] != 0)
        {
            var header = tar.AsSpan(offset, 512);
            Encoding.ASCII.GetString(header[257..265]).ShouldBe("ustar\0" + "00");
            ((char)header[156]).ShouldBe('0');
            Field(header, 100, 8).ShouldBe("0000644");
            Field(header, 108, 8).ShouldBe("0000000");
            Field(header, 116, 8).ShouldBe("0000000");
            Field(header, 136, 12).TrimStart('0').ShouldBe(expectedMtime);
            Field(header, 265, 32).ShouldBeEmpty();
            Field(header, 297, 32).ShouldBeEmpty();
            Field(header, 345, 155).ShouldBeEmpty(); // no USTAR prefix: names are flat
            var size = Convert.ToInt64(Field(header, 124, 12), 8);
            offset += 512 + (int)((size + 511) / 512 * 512);
            count++;
        }

        count.ShouldBe(9);
        // Two zero blocks end the archive and nothing follows: no 10240-byte record padding.
        tar.Length.ShouldBe(offset + 1024);
        tar.AsSpan(offset).IndexOfAnyExcept((byte)0).ShouldBe(-1);
    }

    /// <summary>A NUL-terminated ASCII header field.</summary>
    private static string Field(ReadOnlySpan<byte> header, int offset, int length)
    {
        var field = header.Slice(offset, length);
        var end = field.IndexOf((byte)0);
        return Encoding.ASCII.GetString(end < 0 ? field : field[..end]).Trim(' ');
    }

    [Fact]
    public void Package_TarEntries_ReadBackAsUstarWithEmptyOwnerNames()
    {
        foreach (var (_, _, entry) in Members(PayloadPackager.Package(Request()).Payloads[0].Content))
        {
            entry.Format.ShouldBe(TarEntryFormat.Ustar);
            entry.EntryType.ShouldBe(TarEntryType.RegularFile);
            var ustar = entry.ShouldBeOfType<UstarTarEntry>();
            ustar.UserName.ShouldBeEmpty();
            ustar.GroupName.ShouldBeEmpty();
            ustar.ModificationTime.ShouldBe(Day.AddHours(3).AddMinutes(10).AddSeconds(7));
        }
    }

    [Fact]
    public void Package_CrStatus_ConnectedNotAirGappedWithoutSecrets()
    {
        var json = PayloadPackager.Package(Request() with { MaxSizeMegabytes = 42 }).Manifest.ToJson();

        json.ShouldContain("  \"upload\": {\n   \"upload\": true,");
        json.ShouldContain("   \"last_successful_packaging_time\": \"2026-08-05T03:10:07Z\",");
        json.ShouldContain("   \"max_size_MB\": 42\n");
        json.ShouldContain("   \"last_hour_queried\": \"2026-08-05 02:00:00 - 2026-08-05 02:59:59\",");
        json.ShouldContain("  \"clusterVersion\": \"stable-4.18\",");
        json.ShouldNotContain("://");
        json.ShouldNotContain("\"error\"");
    }

    [Fact]
    public void Package_FullDay_ValidatorSeesTwentyFourHours()
    {
        var result = PayloadPackager.Package(Request(hours: 24));

        var facts = KokuPayloadValidator.AssertValid(result.Payloads[0].Content);

        facts.Manifest!.HoursPerDay.ShouldBe(new Dictionary<DateOnly, int> { [DateOnly.FromDateTime(Day.UtcDateTime)] = 24 });
        facts.Csv(KokuReportType.PodUsage).RowCount.ShouldBe(48);
    }

    [Fact]
    public void Package_PackagingTimeWithOffset_ManifestDateInUtc() =>
        PayloadPackager.Package(Request() with { PackagingTime = new DateTimeOffset(2026, 8, 5, 5, 10, 7, TimeSpan.FromHours(2)) })
            .Manifest.ToJson().ShouldContain("\"date\": \"2026-08-05T03:10:07Z\"");

    [Theory]
    [InlineData("6ba7b810-9dad-11d1-80b4-00c04fd430c8")] // version 1
    [InlineData("886313e1-3b8a-5372-9b90-0c9aee199e5d")] // version 5
    [InlineData("3f0e2c51-9a7d-4b8e-c1c2-5d6e7f809a1b")] // version 4 nibble, Microsoft variant
    [InlineData("00000000-0000-0000-0000-000000000000")]
    public void Package_UuidNotRfc4122Version4_Throws(string uuid) =>
        Should.Throw<ArgumentException>(() => PayloadPackager.Package(Request() with { Uuid = Guid.Parse(uuid) }))
            .Message.ShouldContain("version-4");

    [Fact]
    public void Package_StartNotMidnight_Throws() =>
        Should.Throw<ArgumentException>(() => PayloadPackager.Package(Request() with { Start = Day.AddHours(1) }))
            .Message.ShouldContain("00:00:00");

    [Fact]
    public void Package_StartMidnightInAnotherOffset_Throws() =>
        Should.Throw<ArgumentException>(() => PayloadPackager.Package(Request() with { Start = new DateTimeOffset(2026, 8, 5, 0, 0, 0, TimeSpan.FromHours(2)) }));

    [Theory]
    [InlineData(3, 0, 0)] // 03:00:00
    [InlineData(2, 59, 58)]
    [InlineData(24, 59, 59)] // next day
    public void Package_EndNotHourEndOfSameDay_Throws(int hour, int minute, int second) =>
        Should.Throw<ArgumentException>(() => PayloadPackager.Package(Request() with { End = Day.AddHours(hour).AddMinutes(minute).AddSeconds(second) }))
            .Message.ShouldContain("HH:59:59");

    [Theory]
    [InlineData(ReportKind.Node)]
    [InlineData(ReportKind.VirtualMachine)]
    [InlineData(ReportKind.NvidiaGpu)]
    public void Package_CostTableMissing_Throws(ReportKind missing)
    {
        var tables = SampleReportTables.ForDay(Day, 3).Where(t => t.Kind != missing).ToList();

        Should.Throw<ArgumentException>(() => PayloadPackager.Package(Request(tables: tables))).Message.ShouldContain(missing.ToString());
    }

    [Fact]
    public void Package_TableTwice_Throws()
    {
        var tables = SampleReportTables.ForDay(Day, 3);

        Should.Throw<ArgumentException>(() => PayloadPackager.Package(Request(tables: [.. tables, tables[0]]))).Message.ShouldContain("twice");
    }

    [Fact]
    public void Package_TableNamedForAnotherMonth_Throws()
    {
        var tables = SampleReportTables.ForDay(Day, 3)
            .Select(t => t.Kind == ReportKind.Node ? t with { FileName = "cm-openshift-node-usage-202607.csv" } : t).ToList();

        Should.Throw<ArgumentException>(() => PayloadPackager.Package(Request(tables: tables))).Message.ShouldContain("202608");
    }

    [Fact]
    public void Package_HeaderOnlyPodTable_Throws()
    {
        var tables = SampleReportTables.ForDay(Day, 3).Select(t => t.Kind == ReportKind.Pod ? t with { Rows = [] } : t).ToList();

        Should.Throw<ArgumentException>(() => PayloadPackager.Package(Request(tables: tables))).Message.ShouldContain("pod table has no rows");
    }

    [Fact]
    public void Package_HeaderOnlyVmAndGpuTables_Packaged()
    {
        var tables = SampleReportTables.ForDay(Day, 3)
            .Select(t => t.Kind is ReportKind.VirtualMachine or ReportKind.NvidiaGpu ? t with { Rows = [] } : t).ToList();

        var facts = KokuPayloadValidator.AssertValid(PayloadPackager.Package(Request(tables: tables)).Payloads[0].Content);

        facts.Csv(KokuReportType.VmUsage).RowCount.ShouldBe(0);
        facts.Csv(KokuReportType.GpuUsage).RowCount.ShouldBe(0);
    }

    [Theory]
    [InlineData("https://console.example.com")]
    [InlineData("stable 4.18")]
    [InlineData("")]
    public void Package_ClusterChannelNotVersionLike_Throws(string channel) =>
        Should.Throw<ArgumentException>(() => PayloadPackager.Package(Request() with { CrStatus = new CrStatusInputs { ClusterChannel = channel } }));

    [Theory]
    [InlineData(0)]
    [InlineData(101)]
    public void Package_MaxSizeOutOfRange_Throws(int megabytes) =>
        Should.Throw<ArgumentOutOfRangeException>(() => PayloadPackager.Package(Request() with { MaxSizeMegabytes = megabytes }));
}
