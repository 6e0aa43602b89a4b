using ThanosBridge.Health;
using ThanosBridge.TestSupport.Fakes;

namespace ThanosBridge.Tests.Health;

public class ReadinessStateTests
{
    private static readonly DateTimeOffset Start = new(2026, 8, 5, 12, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider time = new(Start);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void Snapshot_New_ConfigurationFirstThenDependenciesAllPending()
    {
        var sut = new ReadinessState(time, ["thanos", "database"]);

        var snapshot = sut.Snapshot();

        snapshot.Ready.ShouldBeFalse();
        snapshot.Checks.Select(c => (c.Name, c.Status)).ShouldBe([
            ("configuration", CheckStatus.Pending), ("thanos", CheckStatus.Pending), ("database", CheckStatus.Pending)]);
        sut.Dependencies.ShouldBe(["thanos", "database"]);
    }

    [Fact]
    public void IsReady_ConfigurationLoadedAndEveryCheckOk_True()
    {
        var sut = new ReadinessState(time, ["thanos"]);
        sut.MarkConfigurationLoaded();
        sut.IsReady.ShouldBeFalse();

        sut.RecordSuccess("thanos");

        sut.IsReady.ShouldBeTrue();
        sut.Snapshot().Ready.ShouldBeTrue();
    }

    [Fact]
    public void IsReady_NoDependenciesAndConfigurationLoaded_True()
    {
        var sut = new ReadinessState(time, []);

        sut.MarkConfigurationLoaded();

        sut.IsReady.ShouldBeTrue();
    }

    [Fact]
    public void RecordFailure_Repeated_KeepsTheFirstFailureTime()
    {
        var sut = new ReadinessState(time, ["s3"]);
        sut.RecordFailure("s3", "first");
        time.Advance(TimeSpan.FromSeconds(30));

        var previous = sut.RecordFailure("s3", "second");

        previous.ShouldBe(new CheckResult("s3", CheckStatus.Failing, "first", Start, Start));
        sut.Get("s3").ShouldBe(new CheckResult("s3", CheckStatus.Failing, "second", Start.AddSeconds(30), Start));
    }

    [Fact]
    public void RecordSuccess_AfterFailure_ClearsErrorAndFailureTime()
    {
        var sut = new ReadinessState(time, ["s3"]);
        sut.RecordFailure("s3", "down");
        time.Advance(TimeSpan.FromSeconds(5));

        sut.RecordSuccess("s3");

        sut.Get("s3").ShouldBe(new CheckResult("s3", CheckStatus.Ok, null, Start.AddSeconds(5)));
    }

    [Fact]
    public void Register_SameNameTwice_KeepsOneCheck()
    {
        var sut = new ReadinessState(time, ["thanos"]);

        sut.Register("thanos");
        sut.Register("scheduler");

        sut.Dependencies.ShouldBe(["thanos", "scheduler"]);
    }

    [Fact]
    public void RecordSuccess_UnknownName_Throws()
    {
        var sut = new ReadinessState(time, []);

        Should.Throw<ArgumentException>(() => sut.RecordSuccess("nope")).Message.ShouldStartWith("no check named nope");
    }

    [Fact]
    public async Task WaitAsync_ConditionMetLater_CompletesWithThatSnapshot()
    {
        var sut = new ReadinessState(time, ["thanos"]);
        sut.MarkConfigurationLoaded();

        var wait = sut.WaitAsync(s => s.Ready, Ct);
        wait.IsCompleted.ShouldBeFalse();
        sut.RecordSuccess("thanos");

        (await wait).Ready.ShouldBeTrue();
        (await sut.WaitAsync(s => s.Ready, Ct)).Checks.Count.ShouldBe(2);
    }
}
