using System.Diagnostics;
using System.Text;

namespace ThanosBridge.TestSupport.Bridge;

/// <summary>The output of one run of the bridge's command line.</summary>
public sealed record BridgeRun(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}

/// <summary>
/// Runs the bridge's command line (ThanosBridge.dll, copied next to the tests) as a real process with exactly the given
/// environment, as an operator would, with a bound on its run time.
/// </summary>
public static class BridgeProcess
{
    public static async Task<BridgeRun> RunAsync(IReadOnlyDictionary<string, string> environment, string[] args, CancellationToken ct, TimeSpan? timeout = null)
    {
        var start = StartInfo(environment, args, "thanos-bridge-run-");
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet");
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        var outTask = Task.Run(async () => stdout.Append(await process.StandardOutput.ReadToEndAsync(ct)), ct);
        var errTask = Task.Run(async () => stderr.Append(await process.StandardError.ReadToEndAsync(ct)), ct);
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(ct);
        bound.CancelAfter(timeout ?? TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(bound.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"ThanosBridge {string.Join(' ', args)} did not finish in time\n{stdout}\n{stderr}");
        }

        await Task.WhenAll(outTask, errTask);
        return new BridgeRun(process.ExitCode, stdout.ToString(), stderr.ToString());
    }

    /// <summary>
    /// <c>dotnet ThanosBridge.dll ARGS</c> in its own temporary working directory, with exactly <paramref name="environment"/>
    /// plus what the runtime needs: no stray THANOS_*/KAFKA_*/AWS_* from the caller's shell.
    /// </summary>
    internal static ProcessStartInfo StartInfo(IReadOnlyDictionary<string, string> environment, IEnumerable<string> args, string directoryPrefix)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Directory.CreateTempSubdirectory(directoryPrefix).FullName,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ThanosBridge.dll"));
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        start.Environment.Clear();
        foreach (var key in new[] { "PATH", "HOME", "DOTNET_ROOT", "DOTNET_CLI_TELEMETRY_OPTOUT", "TMPDIR" })
        {
            if (Environment.GetEnvironmentVariable(key) is { } value)
            {
                start.Environment[key] = value;
            }
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        return start;
    }

    /// <summary>The stack's endpoints under the bridge's variable names, for a given koku database.</summary>
    public static Dictionary<string, string> StackEnvironmentFor(KokuTestDatabase database)
    {
        var env = StackEnvironment.Current;
        var vars = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in new[]
        {
            "THANOS_QUERY_URL", "DATABASE_SERVICE_HOST", "DATABASE_SERVICE_PORT", "DATABASE_USER", "DATABASE_PASSWORD",
            "S3_ENDPOINT", "S3_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "THANOS_BRIDGE_S3_BUCKET", "KAFKA_BOOTSTRAP_SERVERS",
        })
        {
            vars[key] = env[key];
        }

        vars["DATABASE_NAME"] = database.Name;
        vars["THANOS_BRIDGE_S3_PREFIX"] = "test-" + database.Name;
        return vars;
    }
}
