using ThanosBridge.Core.Confirmation;
using ThanosBridge.Core.Discovery;

namespace ThanosBridge.Core.Tests.Confirmation;

public class ConfirmationRulesTests
{
    private static readonly DateTimeOffset Published = new(2026, 12, 3, 6, 5, 0, TimeSpan.Zero);
    private static readonly ConfirmationOptions Options = new(TimeSpan.FromHours(4), MaxReannouncements: 2);
    private static readonly Guid Uuid = Guid.Parse("6f1c2d3e-4a5b-4c6d-8e7f-0a1b2c3d4e5f");

    private static PublishedSnapshot Snapshot(bool latest = true, int reannouncements = 0, DateTimeOffset? announcedAt = null) =>
        new(ClusterId.Parse("c1"), new DateOnly(2026, 12, 3), 6, Uuid, latest, Published, announcedAt ?? Published, reannouncements, null);

    private static KokuManifest Manifest(int files = 2, int done = 0, int failed = 0, DateTimeOffset? completedAt = null, params string[] failedSteps) =>
        new(Uuid, files, completedAt, failedSteps, done, failed, done > 0 ? Published.AddMinutes(3) : null);

    private static ConfirmationDecision Decide(PublishedSnapshot snapshot, TimeSpan after, params KokuManifest[] manifests) =>
        ConfirmationRules.Decide(snapshot, manifests, Options, snapshot.AnnouncedAt + after);

    [Fact]
    public void Decide_EveryFileDone_IsCompletedAtTheLastFilesTime()
    {
        var decision = Decide(Snapshot(), TimeSpan.FromMinutes(10), Manifest(files: 2, done: 2));

        decision.ShouldBe(new ConfirmationDecision(KokuStatus.Completed, CompletedAt: Published.AddMinutes(3)));
    }

    [Fact]
    public void Decide_ManifestCompletedDatetime_IsCompletedAtIt()
    {
        var at = Published.AddMinutes(7);

        Decide(Snapshot(), TimeSpan.FromHours(9), Manifest(files: 2, done: 1, completedAt: at)).ShouldBe(new ConfirmationDecision(KokuStatus.Completed, CompletedAt: at));
    }

    [Fact]
    public void Decide_SupersededButCompleted_IsCompleted()
    {
        Decide(Snapshot(latest: false), TimeSpan.FromHours(9), Manifest(files: 1, done: 1)).Status.ShouldBe(KokuStatus.Completed);
    }

    [Fact]
    public void Decide_OlderSnapshotNeverRecorded_IsSuperseded_NeverReannounced()
    {
        var decision = Decide(Snapshot(latest: false), TimeSpan.FromDays(2));

        decision.ShouldBe(new ConfirmationDecision(KokuStatus.Superseded));
    }

    [Fact]
    public void Decide_OneOfTwoOrgsComplete_IsNotCompleted()
    {
        Decide(Snapshot(), TimeSpan.FromMinutes(10), Manifest(files: 1, done: 1), Manifest(files: 1)).Status.ShouldBe(KokuStatus.Processing);
    }

    [Theory]
    [InlineData("download", KokuStatus.DownloadFailed)]
    [InlineData("processing", KokuStatus.ProcessingFailed)]
    [InlineData("summary", KokuStatus.SummaryFailed)]
    public void Decide_FailedStepInState_IsReportedByStep_NotReannounced(string step, KokuStatus expected)
    {
        var decision = Decide(Snapshot(), TimeSpan.FromDays(1), Manifest(files: 2, failedSteps: step));

        decision.ShouldBe(new ConfirmationDecision(expected));
    }

    [Fact]
    public void Decide_FailedStatusRow_IsProcessingFailed_EvenWithACompletedDatetime()
    {
        Decide(Snapshot(), TimeSpan.FromMinutes(5), Manifest(files: 2, done: 1, failed: 1, completedAt: Published)).ShouldBe(new ConfirmationDecision(KokuStatus.ProcessingFailed));
    }

    [Fact]
    public void Decide_TwoFailures_ReportsTheEarliestStep()
    {
        Decide(Snapshot(), TimeSpan.FromMinutes(5), Manifest(failedSteps: "summary"), Manifest(failedSteps: "download")).Status.ShouldBe(KokuStatus.DownloadFailed);
    }

    [Fact]
    public void Decide_RecordedNotComplete_IsProcessingWithinTheThreshold_AndStalledFromIt()
    {
        Decide(Snapshot(), Options.Threshold - TimeSpan.FromTicks(1), Manifest(done: 1)).ShouldBe(new ConfirmationDecision(KokuStatus.Processing));
        Decide(Snapshot(), Options.Threshold, Manifest(done: 1)).ShouldBe(new ConfirmationDecision(KokuStatus.ProcessingStalled));
    }

    [Fact]
    public void Decide_NoManifestWithinTheThreshold_IsAwaiting()
    {
        Decide(Snapshot(), Options.Threshold - TimeSpan.FromTicks(1)).ShouldBe(new ConfirmationDecision(KokuStatus.Awaiting));
    }

    [Fact]
    public void Decide_NoManifestFromTheThreshold_IsReannounced()
    {
        Decide(Snapshot(reannouncements: 1), Options.Threshold).ShouldBe(new ConfirmationDecision(KokuStatus.Awaiting, Reannounce: true));
    }

    [Fact]
    public void Decide_ThresholdCountsFromTheLastAnnouncement()
    {
        var reannounced = Snapshot(reannouncements: 1, announcedAt: Published.AddHours(6));

        ConfirmationRules.Decide(reannounced, [], Options, Published.AddHours(9)).ShouldBe(new ConfirmationDecision(KokuStatus.Awaiting));
    }

    [Fact]
    public void Decide_NoManifestAfterEveryReannouncement_IsNeverRecorded()
    {
        Decide(Snapshot(reannouncements: Options.MaxReannouncements), Options.Threshold).ShouldBe(new ConfirmationDecision(KokuStatus.NeverRecorded));
    }

    [Fact]
    public void Decide_ZeroReannouncementsAllowed_ReportsAtTheThreshold()
    {
        ConfirmationRules.Decide(Snapshot(), [], Options with { MaxReannouncements = 0 }, Published + Options.Threshold)
            .ShouldBe(new ConfirmationDecision(KokuStatus.NeverRecorded));
    }

    [Fact]
    public void Decide_ZeroThreshold_ReannouncesAtTheNextCheck()
    {
        ConfirmationRules.Decide(Snapshot(), [], Options with { Threshold = TimeSpan.Zero }, Published).Reannounce.ShouldBeTrue();
    }

    private static readonly Guid OrgA = Guid.Parse("3b9f0c01-2d4e-4a5b-8c6d-00000000000a");
    private static readonly Guid OrgB = Guid.Parse("3b9f0c01-2d4e-4a5b-8c6d-00000000000b");

    private static ConfirmationDecision DecideFor(Guid[] providers, PublishedSnapshot snapshot, TimeSpan after, params KokuManifest[] manifests) =>
        ConfirmationRules.Decide(snapshot, manifests, Options, snapshot.AnnouncedAt + after, providers);

    [Fact]
    public void Decide_EveryOrgRecordedAndComplete_IsCompleted()
    {
        DecideFor([OrgA, OrgB], Snapshot(), TimeSpan.FromMinutes(10),
            Manifest(files: 1, done: 1) with { ProviderUuid = OrgA }, Manifest(files: 1, done: 1) with { ProviderUuid = OrgB }).Status.ShouldBe(KokuStatus.Completed);
    }

    [Fact]
    public void Decide_OneOrgNeverRecordedIt_IsNotCompleted_AndReannouncedAfterTheThreshold()
    {
        var onlyA = Manifest(files: 1, done: 1) with { ProviderUuid = OrgA };

        DecideFor([OrgA, OrgB], Snapshot(), Options.Threshold - TimeSpan.FromTicks(1), onlyA).ShouldBe(new ConfirmationDecision(KokuStatus.Awaiting));
        DecideFor([OrgA, OrgB], Snapshot(), Options.Threshold, onlyA).ShouldBe(new ConfirmationDecision(KokuStatus.Awaiting, Reannounce: true));
        DecideFor([OrgA, OrgB], Snapshot(reannouncements: Options.MaxReannouncements), Options.Threshold, onlyA)
            .ShouldBe(new ConfirmationDecision(KokuStatus.NeverRecorded));
    }

    [Fact]
    public void Decide_OneOrgMissing_WhileTheOtherIsProcessing_IsNotReannounced()
    {
        DecideFor([OrgA, OrgB], Snapshot(), Options.Threshold, Manifest(files: 2, done: 1) with { ProviderUuid = OrgA })
            .ShouldBe(new ConfirmationDecision(KokuStatus.ProcessingStalled));
    }

    [Fact]
    public void Decide_ProvidersNotKnown_TheRecordedRowsDecide()
    {
        ConfirmationRules.Decide(Snapshot(), [Manifest(files: 1, done: 1) with { ProviderUuid = OrgA }], Options, Published.AddMinutes(10), providers: null)
            .Status.ShouldBe(KokuStatus.Completed);
    }

    [Fact]
    public void IsComplete_NoFilesListedAndNoCompletion_IsFalse()
    {
        ConfirmationRules.IsComplete(Manifest(files: 0)).ShouldBeFalse();
    }

    [Fact]
    public void KokuStatuses_NameAndParse_RoundTrip_AndUnknownThrows()
    {
        foreach (var status in Enum.GetValues<KokuStatus>())
        {
            KokuStatuses.Parse(KokuStatuses.Name(status)).ShouldBe(status);
        }

        Should.Throw<InvalidDataException>(() => KokuStatuses.Parse("done"));
    }
}
