// The demo's stand-ins for the two APIs an ACM hub has and this machine cannot run (scripts/demo.sh):
// - the hub's Kubernetes API, listing the demo clusters as ACM ManagedClusters with their id.k8s.io claims;
// - koku's sources API, writing the rows koku writes for a new OCP source into the demo's koku database.
// They are the integration tests' fakes (tests/ThanosBridge.TestSupport/Fakes), so the demo's registration meets the
// same answers the tests check. Prints the two URLs as environment lines to the file given, then serves until stopped.
//
// Usage: ThanosBridge.DemoHub ENV_FILE KOKU_CONNECTION_STRING NAME=CLUSTER_ID...   (local-cluster=ID is the hub itself)
using System.Runtime.InteropServices;
using ThanosBridge.TestSupport.Fakes;

if (args.Length < 3 || args.Skip(2).Any(a => !a.Contains('=', StringComparison.Ordinal)))
{
    await Console.Error.WriteLineAsync("usage: ThanosBridge.DemoHub ENV_FILE KOKU_CONNECTION_STRING NAME=CLUSTER_ID...");
    return 2;
}

using var kubernetes = FakeKubernetesApi.Start();
using var koku = FakeKokuApi.StartOn(args[1]);
foreach (var pair in args.Skip(2))
{
    var (name, id) = (pair[..pair.IndexOf('=', StringComparison.Ordinal)], pair[(pair.IndexOf('=', StringComparison.Ordinal) + 1)..]);
    kubernetes.Add(name == "local-cluster" ? ManagedClusterObjects.LocalCluster(id) : ManagedClusterObjects.Create(name, id));
}

using var stopped = new CancellationTokenSource();
using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    stopped.Cancel();
});
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stopped.Cancel();
};

// Written last and renamed into place: the file's existence means both servers answer.
var temporary = args[0] + ".tmp";
await File.WriteAllTextAsync(temporary,
    $"THANOS_BRIDGE_KUBERNETES_API_URL={kubernetes.BaseUrl}\nTHANOS_BRIDGE_KOKU_API_URL={koku.BaseUrl}\n");
File.Move(temporary, args[0], overwrite: true);
try
{
    await Task.Delay(Timeout.Infinite, stopped.Token);
}
catch (OperationCanceledException)
{
}

foreach (var source in koku.Created)
{
    Console.WriteLine($"koku sources API: created source {source.SourceId} \"{source.Name}\" for cluster {source.ClusterId} in org {source.OrgId}");
}

return 0;
