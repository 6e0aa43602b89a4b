using System.Text;
using ThanosBridge.Core.Packaging;

namespace ThanosBridge.Core.Tests.Packaging;

public class ManifestTests
{
    private static readonly Guid Uuid = Guid.Parse("3f0e2c51-9a7d-4b8e-a1c2-5d6e7f809a1b");
    private const string ClusterId = "30d0669b-4d46-479d-accb-9784e9d129d8";
    private static readonly DateTimeOffset Date = new DateTimeOffset(2026, 8, 5, 12, 3, 7, TimeSpan.Zero).AddTicks(4_120_930);

    private static Manifest Sample(
        IReadOnlyList<string>? files = null,
        IReadOnlyList<string>? rosFiles = null,
        string clusterId = ClusterId,
        DateTimeOffset? date = null,
        CrStatus? status = null) => new(
        Uuid,
        clusterId,
        Manifest.BridgeVersion,
        date ?? Date,
        files ?? ["a.0.csv", "b.1.csv"],
        rosFiles ?? ["c.2.csv"],
        new DateTimeOffset(2026, 8, 5, 0, 0, 0, TimeSpan.Zero),
        new DateTimeOffset(2026, 8, 5, 11, 59, 59, TimeSpan.Zero),
        status ?? new CrStatus
        {
            ClusterId = ClusterId,
            ClusterChannel = "stable-4.18",
            OperatorCommit = "0123abc",
            PackagingTime = Date,
            MaxSizeMegabytes = 100,
            LastQueryStartTime = new DateTimeOffset(2026, 8, 5, 12, 0, 5, 500, TimeSpan.Zero),
            LastQuerySuccessTime = new DateTimeOffset(2026, 8, 5, 14, 0, 9, TimeSpan.FromHours(2)),
            LastHourQueried = new DateTimeOffset(2026, 8, 5, 11, 0, 0, TimeSpan.Zero),
        });

    [Fact]
    public void ToJson_FullManifest_MatchesGoMarshalIndentByteForByte()
    {
        const string expected = """
            {
             "uuid": "3f0e2c51-9a7d-4b8e-a1c2-5d6e7f809a1b",
             "cluster_id": "30d0669b-4d46-479d-accb-9784e9d129d8",
             "version": "thanos-bridge:4.4.2",
             "date": "2026-08-05T12:03:07.412093Z",
             "files": [
              "a.0.csv",
              "b.1.csv"
             ],
             "resource_optimization_files": [
              "c.2.csv"
             ],
             "start": "2026-08-05T00:00:00Z",
             "end": "2026-08-05T11:59:59Z",
             "cr_status": {
              "clusterID": "30d0669b-4d46-479d-accb-9784e9d129d8",
              "clusterVersion": "stable-4.18",
              "authentication": {
               "type": "service-account",
               "credentials_found": true
              },
              "packaging": {
               "last_successful_packaging_time": "2026-08-05T12:03:07Z",
               "max_reports_to_store": 30,
               "max_size_MB": 100
              },
              "upload": {
               "upload": true,
               "upload_cycle": 360,
               "last_successful_upload_time": null,
               "validate_cert": true
              },
              "operator_commit": "0123abc",
              "prometheus": {
               "prometheus_configured": true,
               "prometheus_connected": true,
               "context_timeout": 120,
               "last_query_start_time": "2026-08-05T12:00:05Z",
               "last_query_success_time": "2026-08-05T12:00:09Z",
               "disabled_metrics_collection_cost_management": false,
               "disabled_metrics_collection_resource_optimization": false
              },
              "reports": {
               "report_month": "08",
               "last_hour_queried": "2026-08-05 11:00:00 - 2026-08-05 11:59:59",
               "data_collected": true
              },
              "source": {
               "source_defined": true,
               "create_source": false,
               "last_check_time": null,
               "check_cycle": 1440
              },
              "storage": {}
             },
             "certified": false,
             "daily_reports": true
            }
            """;

        Sample().ToJson().ShouldBe(expected);
    }

    [Fact]
    public void ToJson_EmptyFileLists_WritesEmptyArraysNotNull()
    {
        var json = Sample(files: [], rosFiles: []).ToJson();

        json.ShouldContain("\n \"files\": [],\n \"resource_optimization_files\": [],\n");
        json.ShouldNotContain("null,\n \"start\"");
    }

    [Fact]
    public void ToJson_OptionalStatusFieldsUnset_OmitsThemAndWritesNullTimes()
    {
        var status = new CrStatus
        {
            ClusterId = ClusterId,
            PackagingTime = Date,
            MaxSizeMegabytes = 7,
            LastHourQueried = new DateTimeOffset(2026, 8, 5, 11, 0, 0, TimeSpan.Zero),
        };

        var json = Sample(status: status).ToJson();

        json.ShouldNotContain("clusterVersion");
        json.ShouldNotContain("operator_commit");
        json.ShouldContain("  \"clusterID\": \"30d0669b-4d46-479d-accb-9784e9d129d8\",\n  \"authentication\": {");
        json.ShouldContain("   \"last_query_start_time\": null,\n   \"last_query_success_time\": null,\n");
        json.ShouldContain("   \"max_size_MB\": 7\n");
    }

    [Fact]
    public void ToJson_NoTrailingNewline() => Sample().ToJson().ShouldEndWith("\n}");

    [Theory]
    [InlineData(0, "2026-08-05T12:03:07Z")]
    [InlineData(1, "2026-08-05T12:03:07.0000001Z")]
    [InlineData(5_000_000, "2026-08-05T12:03:07.5Z")]
    [InlineData(1_230_000, "2026-08-05T12:03:07.123Z")]
    public void ToJson_Date_UsesGoRfc3339NanoTrimmingZeros(long ticks, string expected)
    {
        var date = new DateTimeOffset(2026, 8, 5, 14, 3, 7, TimeSpan.FromHours(2)).AddTicks(ticks);

        Sample(date: date).ToJson().ShouldContain($"\n \"date\": \"{expected}\",\n");
    }

    [Fact]
    public void ToJson_SpecialCharacters_EscapedLikeGoHtmlSafeEncoder()
    {
        var json = Sample(clusterId: "a<b>&c\u2028d\u2029e\"f\\g\nh\ti\u0001j\bk\fl\u007fé✓😀").ToJson();

        json.ShouldContain(
            "\"cluster_id\": \"a\\u003cb\\u003e\\u0026c\\u2028d\\u2029e\\\"f\\\\g\\nh\\ti\\u0001j\\bk\\fl\u007fé✓😀\",");
    }

    [Fact]
    public void ToJson_LoneSurrogate_ReplacedLikeGoInvalidUtf8() =>
        Sample(clusterId: "x\uD800y").ToJson().ShouldContain("\"cluster_id\": \"x\\ufffdy\",");

    [Fact]
    public void ToUtf8Bytes_NonAscii_RawUtf8WithoutBom()
    {
        var bytes = Sample(clusterId: "é").ToUtf8Bytes();

        bytes[0].ShouldBe((byte)'{');
        Encoding.UTF8.GetString(bytes).ShouldContain("\"cluster_id\": \"é\"");
    }

    [Fact]
    public void BridgeVersion_SuffixIsAtLeast442() =>
        Version.Parse(Manifest.BridgeVersion[(Manifest.BridgeVersion.LastIndexOf(':') + 1)..]).ShouldBeGreaterThanOrEqualTo(new Version(4, 4, 2));
}
