using ThanosBridge.Core.Discovery;
using ThanosBridge.TestSupport.Fakes;

using static ThanosBridge.TestSupport.Fakes.ManagedClusterRecords;

namespace ThanosBridge.Core.Tests.Discovery;

/// <summary>Which ManagedClusters auto-registration registers in koku, and why the others are reported instead.</summary>
public sealed class RegistrationRulesTests
{
    private const string Org = "1234567";
    private const string Us = "thanos-bridge";
    private static readonly RegistrationOptions Options = new(Org, Us);
    private static readonly KokuSourceInventory EmptyKoku = new([], OrgKnown: true);

    [Fact]
    public void Plan_JoinedAvailableClusterWithoutASource_IsRegisteredUnderItsClaim()
    {
        var decision = Single(Cluster("spoke-1", "id-1"));

        decision.Action.ShouldBe(RegistrationAction.Register);
        decision.Name.ShouldBe("spoke-1");
        decision.ClusterId.ShouldBe("id-1");
        decision.Reason.ShouldBeNull();
    }

    [Theory]
    [InlineData("local-cluster", null)]
    [InlineData("hub", "true")]
    [InlineData("hub", "True")]
    public void Plan_TheHubItself_IsSkippedAsLocalCluster(string name, string? localLabel)
    {
        var labels = localLabel is null ? null : new Dictionary<string, string> { ["local-cluster"] = localLabel };

        var decision = Single(Cluster(name, "hub-id", labels: labels));

        decision.Action.ShouldBe(RegistrationAction.Skip);
        decision.Reason.ShouldBe(RegistrationSkipReasons.LocalCluster);
        decision.Detail.ShouldContain("THANOS_BRIDGE_AUTO_REGISTER_LOCAL_CLUSTER");
    }

    [Fact]
    public void Plan_LocalClusterLabelFalse_IsNotTheHub()
    {
        Single(Cluster("spoke", "id", labels: new() { ["local-cluster"] = "false" })).Action.ShouldBe(RegistrationAction.Register);
    }

    [Fact]
    public void Plan_TheHubWithIncludeLocalCluster_IsRegistered()
    {
        var plan = RegistrationRules.Plan([Cluster("local-cluster", "hub-id")], EmptyKoku, Options with { IncludeLocalCluster = true });

        plan.Decisions.Single().Action.ShouldBe(RegistrationAction.Register);
    }

    [Fact]
    public void Plan_TheHubWithoutAClaim_IsReportedAsTheHub_NotAsMissingTheClaim()
    {
        Single(Cluster("local-cluster", null)).Reason.ShouldBe(RegistrationSkipReasons.LocalCluster);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Plan_NoIdClaim_IsSkippedAsNoClusterId(string? claim)
    {
        var decision = Single(Cluster("new-spoke", claim));

        decision.Action.ShouldBe(RegistrationAction.Skip);
        decision.Reason.ShouldBe(RegistrationSkipReasons.NoClusterId);
        decision.Detail.ShouldContain("id.k8s.io");
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("quote\"d")]
    [InlineData("ünïcode")]
    public void Plan_AClaimThatIsNoUsableClusterId_IsSkippedWithTheValidatorsReason(string claim)
    {
        var decision = Single(Cluster("odd", claim));

        decision.Reason.ShouldBe(RegistrationSkipReasons.InvalidClusterId);
        decision.Detail.ShouldContain("not usable as a cluster id because");
    }

    [Fact]
    public void Plan_ClusterWithAKokuSourceInTheOrg_IsAlreadyRegistered_NamingTheSource()
    {
        var koku = new KokuSourceInventory([new KokuOcpSource("id-1", 42, "spoke-1", Org, "admin")], OrgKnown: true);

        var decision = RegistrationRules.Plan([Cluster("spoke-1", "id-1")], koku, Options).Decisions.Single();

        decision.Action.ShouldBe(RegistrationAction.AlreadyRegistered);
        decision.Detail.ShouldBe("koku source 42 (spoke-1) has cluster id id-1");
    }

    [Fact]
    public void Plan_ClusterWithASourceInAnotherOrg_IsAlreadyRegistered_AndTheDetailNamesBothOrgs()
    {
        var koku = new KokuSourceInventory([new KokuOcpSource("id-1", 7, "theirs", "7654321", null)], OrgKnown: true);

        var decision = RegistrationRules.Plan([Cluster("spoke-1", "id-1")], koku, Options).Decisions.Single();

        decision.Action.ShouldBe(RegistrationAction.AlreadyRegistered);
        decision.Detail.ShouldContain("of org 7654321, not THANOS_BRIDGE_KOKU_ORG_ID 1234567");
    }

    [Fact]
    public void Plan_ClusterWithSeveralSources_NamesTheFirst()
    {
        var koku = new KokuSourceInventory(
            [new KokuOcpSource("id-1", 9, "later", Org, null), new KokuOcpSource("id-1", 3, "first", Org, null)], OrgKnown: true);

        RegistrationRules.Plan([Cluster("spoke-1", "id-1")], koku, Options).Decisions.Single().Detail.ShouldContain("koku source 3 (first)");
    }

    [Fact]
    public void Plan_RegisteredClusterThatIsUnavailableNow_IsStillReportedAsRegistered_NotAsSkipped()
    {
        var koku = new KokuSourceInventory([new KokuOcpSource("id-1", 1, "spoke-1", Org, Us)], OrgKnown: true);

        var decision = RegistrationRules.Plan([Cluster("spoke-1", "id-1", available: "Unknown")], koku, Options).Decisions.Single();

        decision.Action.ShouldBe(RegistrationAction.AlreadyRegistered);
    }

    [Fact]
    public void Plan_NoJoinedCondition_IsSkippedAsNotJoined_SayingItIsMissing()
    {
        var decision = Single(Cluster("joining", "id-2", joined: null, available: null));

        decision.Reason.ShouldBe(RegistrationSkipReasons.NotJoined);
        decision.Detail.ShouldBe("ManagedClusterJoined is missing");
    }

    [Fact]
    public void Plan_JoinedFalse_IsSkippedAsNotJoined_WithTheConditionsReasonAndMessage()
    {
        var cluster = new ManagedCluster("joining", ManagedClusterRecords.Labels(), "id-2",
            [new ManagedClusterCondition("ManagedClusterJoined", "False", "ManagedClusterNotJoined", "csr pending")]);

        var decision = Single(cluster);

        decision.Reason.ShouldBe(RegistrationSkipReasons.NotJoined);
        decision.Detail.ShouldBe("ManagedClusterJoined is False (ManagedClusterNotJoined: csr pending)");
    }

    [Theory]
    [InlineData("Unknown")]
    [InlineData("False")]
    [InlineData(null)]
    public void Plan_JoinedButNotAvailable_IsSkippedAsNotAvailable(string? available)
    {
        var decision = Single(Cluster("offline", "id-3", available: available));

        decision.Action.ShouldBe(RegistrationAction.Skip);
        decision.Reason.ShouldBe(RegistrationSkipReasons.NotAvailable);
        decision.Detail.ShouldStartWith("ManagedClusterConditionAvailable is " + (available ?? "missing"));
    }

    [Fact]
    public void Plan_ConditionStatusIsCompared_CaseSensitively_AsKubernetesWritesIt()
    {
        Single(Cluster("odd", "id", joined: "true")).Reason.ShouldBe(RegistrationSkipReasons.NotJoined);
    }

    [Fact]
    public void Plan_TwoManagedClustersClaimingOneId_RegistersTheFirstByName_AndReportsTheOther()
    {
        var plan = RegistrationRules.Plan([Cluster("b-reimported", "same"), Cluster("a-original", "same")], EmptyKoku, Options);

        plan.Decisions.Select(d => (d.Name, d.Action)).ShouldBe(
            [("a-original", RegistrationAction.Register), ("b-reimported", RegistrationAction.Skip)]);
        plan.Decisions[1].Reason.ShouldBe(RegistrationSkipReasons.DuplicateClusterId);
        plan.Decisions[1].Detail.ShouldContain("ManagedCluster a-original claims the same cluster id same");
    }

    [Fact]
    public void Plan_DuplicateClaimOfAnUnavailableCluster_DoesNotBlockTheAvailableOne()
    {
        var plan = RegistrationRules.Plan([Cluster("a-stale", "same", available: "Unknown"), Cluster("b-live", "same")], EmptyKoku, Options);

        plan.Decisions.Single(d => d.Name == "b-live").Action.ShouldBe(RegistrationAction.Register);
        plan.Decisions.Single(d => d.Name == "a-stale").Reason.ShouldBe(RegistrationSkipReasons.NotAvailable);
    }

    [Fact]
    public void Plan_OrgUnknownToKoku_RefusesWhatItWouldRegister_AndLeavesTheRestAlone()
    {
        var koku = new KokuSourceInventory([new KokuOcpSource("known", 1, "known", "other", null)], OrgKnown: false);

        var plan = RegistrationRules.Plan([Cluster("new", "id-new"), Cluster("known", "known"), Cluster("local-cluster", "hub")], koku, Options);

        var refused = plan.Decisions.Single(d => d.Name == "new");
        refused.Action.ShouldBe(RegistrationAction.Refuse);
        refused.Reason.ShouldBe(RegistrationFailureReasons.KokuOrgUnknown);
        refused.Detail.ShouldContain("org 1234567 (THANOS_BRIDGE_KOKU_ORG_ID) is not a koku customer");
        plan.Decisions.Single(d => d.Name == "known").Action.ShouldBe(RegistrationAction.AlreadyRegistered);
        plan.Decisions.Single(d => d.Name == "local-cluster").Action.ShouldBe(RegistrationAction.Skip);
    }

    [Fact]
    public void Plan_Decisions_AreInManagedClusterNameOrder()
    {
        var plan = RegistrationRules.Plan([Cluster("c", "3"), Cluster("a", "1"), Cluster("B", "2")], EmptyKoku, Options);

        plan.Decisions.Select(d => d.Name).ShouldBe(["B", "a", "c"]);
    }

    [Fact]
    public void Plan_SourceTheBridgeCreatedWhoseClaimIsGone_HasDisappeared()
    {
        var ours = new KokuOcpSource("gone-id", 12, "gone", Org, Us);
        var koku = new KokuSourceInventory([ours, new KokuOcpSource("still", 13, "still", Org, Us)], OrgKnown: true);

        var plan = RegistrationRules.Plan([Cluster("still", "still")], koku, Options);

        plan.Disappeared.ShouldBe([ours]);
    }

    [Fact]
    public void Plan_SourcesOthersCreated_OrInAnotherOrg_NeverDisappear()
    {
        var koku = new KokuOcpSource[]
        {
            new("by-hand", 1, "by-hand", Org, "admin-1234567"),
            new("other-org", 2, "other-org", "7654321", Us),
            new("unreadable-header", 3, "x", Org, null),
        };

        RegistrationRules.Plan([], new KokuSourceInventory(koku, true), Options).Disappeared.ShouldBeEmpty();
    }

    [Fact]
    public void Plan_OurSourceWhoseClusterIsSkippedNow_HasNotDisappeared()
    {
        var koku = new KokuSourceInventory([new KokuOcpSource("id-1", 1, "spoke-1", Org, Us)], OrgKnown: true);

        var plan = RegistrationRules.Plan([Cluster("spoke-1", "id-1", joined: "False", available: "Unknown")], koku, Options);

        plan.Disappeared.ShouldBeEmpty();
    }

    [Fact]
    public void Plan_NothingListedAndNothingInKoku_IsEmpty()
    {
        var plan = RegistrationRules.Plan([], EmptyKoku, Options);

        plan.Decisions.ShouldBeEmpty();
        plan.Disappeared.ShouldBeEmpty();
    }

    private static RegistrationDecision Single(ManagedCluster cluster) =>
        RegistrationRules.Plan([cluster], EmptyKoku, Options).Decisions.Single();
}
