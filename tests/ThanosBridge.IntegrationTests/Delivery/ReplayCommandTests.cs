using System.Formats.Tar;
using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using ThanosBridge.IntegrationTests.Faults;
using ThanosBridge.TestSupport;
using ThanosBridge.TestSupport.Bridge;
using ThanosBridge.TestSupport.Koku;

namespace ThanosBridge.IntegrationTests.Delivery;

/// <summary>
/// The support loop a user runs: capture a live run with <c>once --record</c> (here with nothing but a Thanos endpoint:
/// clusters from THANOS_BRIDGE_CLUSTERS, payloads to the output directory) and rebuild it offline with <c>replay</c>.
/// </summary>
public class ReplayCommandTests
{
    [Fact]
    public async Task Replay_OfARecordedOnceRun_RebuildsTheSameCsvsAndManifestFields()
    {
        var ct = TestContext.Current.CancellationToken;
        var work = Directory.CreateTempSubdirectory("thanos-bridge-replay-").FullName;
        var alpha = FaultRun.Id("alpha");
        var env = new Dictionary<string, string>
        {
            ["THANOS_QUERY_URL"] = StackEnvironment.Current["THANOS_QUERY_URL"],
            ["THANOS_BRIDGE_CLUSTERS"] = $"{alpha}=1234567",
            ["THANOS_BRIDGE_DATA_DIR"] = Path.Combine(work, "data"),
            ["THANOS_BRIDGE_OUTPUT_DIR"] = Path.Combine(work, "out"),
            ["THANOS_BRIDGE_BACKFILL_DAYS"] = "0",
        };

        var once = await BridgeProcess.RunAsync(env, ["once", "--now", FaultRun.Now, "--record", Path.Combine(work, "rec")], ct);
        once.ExitCode.ShouldBe(0, once.ToString());
        var announcement = Directory.GetFiles(Path.Combine(work, "out", "announcements"), "*.json").ShouldHaveSingleItem();
        using var announced = JsonDocument.Parse(await File.ReadAllTextAsync(announcement, ct));
        var live = await File.ReadAllBytesAsync(new Uri(announced.RootElement.GetProperty("value").GetProperty("url").GetString()!).LocalPath, ct);
        var liveFacts = KokuPayloadValidator.AssertValid(live);
        var start = liveFacts.Manifest!.Start!.Value;
        var end = liveFacts.Manifest.End!.Value.AddSeconds(1);

        var replay = await BridgeProcess.RunAsync(env,
        [
            "replay", "--input", Path.Combine(work, "rec", alpha), "--cluster-id", alpha,
            "--start", start.ToString("O", CultureInfo.InvariantCulture), "--end", end.ToString("O", CultureInfo.InvariantCulture),
            "--output", Path.Combine(work, "replayed"),   // the default step and sampling, as the recording was made
        ], ct);
        replay.ExitCode.ShouldBe(0, replay.ToString());
        replay.Stdout.Trim().Split('\n').Length.ShouldBe(1, "one line per written file");
        var replayed = await File.ReadAllBytesAsync(Directory.GetFiles(Path.Combine(work, "replayed"), "*.tar.gz").ShouldHaveSingleItem(), ct);
        var replayedFacts = KokuPayloadValidator.AssertValid(replayed);

        // Same reports byte for byte (member names differ only by the snapshot's uuid), same day and hours.
        Csvs(replayed).ShouldBe(Csvs(live));
        replayedFacts.Manifest!.Start.ShouldBe(start);
        replayedFacts.Manifest.End.ShouldBe(liveFacts.Manifest.End);
        replayedFacts.Manifest.ClusterId.ShouldBe(alpha);
    }

    [Theory]
    [InlineData(new[] { "replay", "--cluster-id", "x" }, "--input")]
    [InlineData(new[] { "replay", "--input", "/tmp", "--cluster-id", "a\"b", "--start", "2026-11-20T00:00:00Z", "--end", "2026-11-20T01:00:00Z", "--output", "/tmp/o" }, "--cluster-id")]
    [InlineData(new[] { "replay", "--input", "/tmp", "--cluster-id", "c", "--start", "2026-11-20T00:30:00Z", "--end", "2026-11-20T01:00:00Z", "--output", "/tmp/o" }, "--start")]
    [InlineData(new[] { "replay", "--bogus", "1" }, "--bogus")]
    [InlineData(new[] { "once", "--day", "yesterday" }, "--day")]
    public async Task BadArguments_ExitWithUsageError_NamingTheOption(string[] args, string option)
    {
        var env = new Dictionary<string, string>
        {
            ["THANOS_QUERY_URL"] = "http://127.0.0.1:1",
            ["THANOS_BRIDGE_CLUSTERS"] = "c=1",
            ["THANOS_BRIDGE_DATA_DIR"] = Directory.CreateTempSubdirectory("thanos-bridge-args-").FullName,
        };

        var run = await BridgeProcess.RunAsync(env, args, TestContext.Current.CancellationToken);

        run.ExitCode.ShouldBe(2, run.ToString());
        run.Stderr.ShouldContain(option);
    }

    private static Dictionary<string, string> Csvs(byte[] payload)
    {
        var csvs = new Dictionary<string, string>(StringComparer.Ordinal);
        using var tar = new TarReader(new GZipStream(new MemoryStream(payload), CompressionMode.Decompress));
        while (tar.GetNextEntry() is { } entry)
        {
            if (entry.Name != "manifest.json")
            {
                using var reader = new StreamReader(entry.DataStream!);
                csvs[entry.Name[37..]] = reader.ReadToEnd();
            }
        }

        return csvs;
    }
}
