using System.Globalization;
using System.Text;
using System.Text.Json;
using ThanosBridge.TestSupport;
using ThanosBridge.TestSupport.Bridge;
using ThanosBridge.IntegrationTests.Faults;
using ThanosBridge.TestSupport.Koku;

namespace ThanosBridge.IntegrationTests.Delivery;

/// <summary>
/// The delivery daemon's main job, `once`, run as a process against the whole stack: koku's database (a fresh copy per
/// test), the demo Prometheus, S3 and Kafka; checked the way koku's listener would consume it.
/// </summary>
public class EndToEndTests
{
    private static readonly string[] Registered = ["alpha", "beta", "gamma"];
    private static readonly string[] NeverDelivered = ["delta-paused", "epsilon-pending-delete", "zeta-extra-key", "eta-unregistered"];

    [Fact]
    public async Task Once_DeliversCumulativeSnapshots_ExactlyOnce_AndGrowsThemLater()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = await KokuTestDatabase.CreateAsync(ct);
        var env = BridgeProcess.StackEnvironmentFor(db);
        env["THANOS_BRIDGE_BACKFILL_DAYS"] = "1";
        var expect = Pipeline.DemoExpectations.Load();
        var dataEnd = DateTimeOffset.FromUnixTimeSeconds(long.Parse(StackEnvironment.Current["DEMO_DATA_END"], CultureInfo.InvariantCulture));
        // The stack holds 48 hours up to when it started. "Yesterday" is the first whole day in them and "today" the day
        // after; the first run is 5 hours before the data ends, but never before today's first hour has settled (a stack
        // started between 00:00 and 06:00 would otherwise put the first run on yesterday, with no whole day before it).
        var yesterdayStart = new DateTimeOffset(dataEnd.AddHours(-48).UtcDateTime.Date.AddDays(1), TimeSpan.Zero);
        var earliest = yesterdayStart.AddDays(1).AddHours(1).AddMinutes(20);
        var first = Min(Max(dataEnd.AddHours(-5).AddMinutes(20), earliest), dataEnd.AddMinutes(20));
        var later = dataEnd.AddMinutes(20);
        var ids = Registered.ToDictionary(n => n, expect.ClusterId);

        var run1 = await BridgeProcess.RunAsync(env, ["once", "--now", first.ToString("O", CultureInfo.InvariantCulture)], ct);
        run1.ExitCode.ShouldBe(0, run1.ToString());
        var messages1 = await ReadAsync(env["THANOS_BRIDGE_S3_PREFIX"], ct);
        // Each registered cluster: yesterday's final 24-hour snapshot and today's snapshot up to the last settled hour (none
        // when the data ends in today's first hour).
        var today = DateOnly.FromDateTime(first.UtcDateTime);
        today.ShouldBe(DateOnly.FromDateTime(yesterdayStart.UtcDateTime).AddDays(1));
        var settledHours = SettledHours(first, today);
        DateOnly[] days1 = settledHours > 0 ? [today.AddDays(-1), today] : [today.AddDays(-1)];
        messages1.Count.ShouldBe(ids.Count * days1.Length, run1.ToString());
        foreach (var (name, id) in ids)
        {
            var mine = messages1.Where(m => m.Key == id).ToList();
            mine.Count.ShouldBe(days1.Length, $"{name}: one announcement per day\n{run1}");
            var manifests = new List<KokuManifestFacts>();
            foreach (var message in mine)
            {
                message.Service.ShouldBe("hccm");
                message.Value.GetProperty("org_id").GetString().ShouldBe(expect.OrgId(name));
                message.Value.GetProperty("b64_identity").GetString().ShouldBe("");
                message.Value.TryGetProperty("account", out _).ShouldBeTrue();
                message.Value.TryGetProperty("timestamp", out _).ShouldBeTrue();
                var payload = await Download(message.Value.GetProperty("url").GetString()!, ct);
                var validated = KokuPayloadValidator.AssertValid(payload);
                validated.Manifest!.ClusterId.ShouldBe(id);
                message.Value.GetProperty("request_id").GetString().ShouldBe(Guid.Parse(validated.Manifest.Uuid!).ToString("N"));
                manifests.Add(validated.Manifest);
            }

            manifests.Select(Day).Order().ShouldBe(days1);
            Hours(manifests.Single(m => Day(m) == today.AddDays(-1))).ShouldBe(24);
            manifests.Where(m => Day(m) == today).Select(Hours).ShouldAllBe(h => h == settledHours);
        }

        messages1.Select(m => m.Key).ShouldNotContain(k => NeverDelivered.Select(expect.ClusterId).Contains(k));
        var ledger = await FaultRun.SnapshotsAsync(db, ct);
        ledger.Select(r => r.Cluster).Distinct().Order().ShouldBe(ids.Values.Order());
        ledger.ShouldAllBe(r => r.State == "published");

        // Same clock again: nothing new is settled, so nothing is sent.
        var run2 = await BridgeProcess.RunAsync(env, ["once", "--now", first.ToString("O", CultureInfo.InvariantCulture)], ct);
        run2.ExitCode.ShouldBe(0, run2.ToString());
        run2.Stdout.ShouldNotContain("uuid", Case.Sensitive, run2.ToString());
        (await ReadAsync(env["THANOS_BRIDGE_S3_PREFIX"], ct)).Count.ShouldBe(messages1.Count, "a second run at the same time must not announce anything");

        // Later: the days that have more settled hours grow, under new uuids; a day already final is untouched. The stack's
        // data ends at the current hour, so "later" may fall on the next day: then the first run's "today" is final now.
        var run3 = await BridgeProcess.RunAsync(env, ["once", "--now", later.ToString("O", CultureInfo.InvariantCulture)], ct);
        run3.ExitCode.ShouldBe(0, run3.ToString());
        var grown = new[] { today, DateOnly.FromDateTime(later.UtcDateTime) }.Distinct()
            .Where(d => SettledHours(later, d) > SettledHours(first, d)).ToList();
        (later - first < TimeSpan.FromHours(1) || grown.Count > 0).ShouldBeTrue("an hour or more later, a day has grown");
        var messages3 = (await ReadAsync(env["THANOS_BRIDGE_S3_PREFIX"], ct)).Where(m => messages1.All(o => o.Raw != m.Raw)).ToList();
        messages3.Select(m => m.Key).Order().ShouldBe(ids.Values.SelectMany(id => grown.Select(_ => id)).Order());
        foreach (var message in messages3)
        {
            var validated = KokuPayloadValidator.AssertValid(await Download(message.Value.GetProperty("url").GetString()!, ct));
            var day = Day(validated.Manifest!);
            grown.ShouldContain(day);
            Hours(validated.Manifest!).ShouldBe(SettledHours(later, day));
            messages1.Select(m => m.Value.GetProperty("request_id").GetString()).ShouldNotContain(Guid.Parse(validated.Manifest!.Uuid!).ToString("N"));
        }

        (await FaultRun.SnapshotsAsync(db, ct)).Count.ShouldBe(messages1.Count + (ids.Count * grown.Count));
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    /// <summary>The hours of <paramref name="day"/> that ended at least the 15-minute settle time before <paramref name="now"/>.</summary>
    private static int SettledHours(DateTimeOffset now, DateOnly day) =>
        (int)Math.Clamp(Math.Floor((now.AddMinutes(-15) - new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)).TotalHours), 0, 24);

    private static DateOnly Day(KokuManifestFacts manifest) => DateOnly.FromDateTime(manifest.Start!.Value.UtcDateTime);

    private static int Hours(KokuManifestFacts manifest) => manifest.HoursPerDay.Values.Sum();

    /// <summary>The announcements of this test (by its S3 key prefix), with their JSON values parsed.</summary>
    private static async Task<List<(string Key, string Service, JsonElement Value, string Raw)>> ReadAsync(string prefix, CancellationToken ct) =>
        [.. (await AnnouncementLog.ReadAsync(prefix, ct)).Select(a => (a.Key, a.Service, JsonDocument.Parse(a.Raw).RootElement.Clone(), a.Raw))];

    private static async Task<byte[]> Download(string url, CancellationToken ct)
    {
        // koku's listener downloads with a plain GET and no credentials (koku-ingestion.md §1.4).
        using var http = new HttpClient();
        return await http.GetByteArrayAsync(new Uri(url), ct);
    }
}
