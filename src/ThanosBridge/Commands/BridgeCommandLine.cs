using ThanosBridge.Configuration;

namespace ThanosBridge.Commands;

/// <summary>
/// Dispatches the first argument to a command; no argument means <c>serve</c>. Exit codes: 0 success, 1 failure
/// (including invalid configuration, reported as one line naming the variable), 2 usage error.
/// </summary>
internal static class BridgeCommandLine
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int UsageError = 2;

    private const string Help =
        "usage: ThanosBridge [command] [options]   (configuration comes from environment variables: docs/configuration.md)\n" +
        "commands:\n" +
        "  serve                 the daemon (default): scheduled delivery, /healthz and /readyz on :8080, /metrics on :9090\n" +
        "  " + OnceCommand.Usage + "\n" +
        "                        one delivery cycle, a per-cluster summary, exit 1 when any cluster failed\n" +
        "  clusters [--register [--dry-run]]\n" +
        "                        what discovery sees, with the reasons for skipped clusters; --register first registers the\n" +
        "                        ACM ManagedClusters koku lacks (THANOS_BRIDGE_AUTO_REGISTER), --dry-run only says what it would do\n" +
        "  check-config          validate the configuration and print it (secrets redacted)\n" +
        "  " + ReplayCommand.Usage + "\n" +
        "                        rebuild payloads from recorded query responses, without network\n";

    /// <summary>Every command and the options it takes (without <c>--</c>): what the dispatcher parses with.</summary>
    internal static readonly IReadOnlyDictionary<string, IReadOnlyCollection<string>> Commands =
        new Dictionary<string, IReadOnlyCollection<string>>(StringComparer.Ordinal)
        {
            ["serve"] = [],
            ["once"] = OnceCommand.Options,
            ["clusters"] = ClustersCommand.Options,
            ["check-config"] = [],
            ["replay"] = ReplayCommand.Options,
        };

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr, TimeProvider time, CancellationToken cancellationToken)
    {
        var command = args.Count == 0 ? "serve" : args[0];
        IReadOnlyList<string> rest = [.. args.Skip(1)];

        // `once --help` and the like: the usage, before the configuration is read (it may not be there yet).
        if (rest.Any(a => a is "--help" or "-h"))
        {
            command = "help";
        }

        try
        {
            switch (command)
            {
                case "replay":
                    return await ReplayCommand.RunAsync(rest, stdout, time, cancellationToken);
                case "help" or "--help" or "-h":
                    await stdout.WriteAsync(Help);
                    return Success;
                case "check-config":
                    CommandArguments.Parse(command, rest, Commands[command]);
                    foreach (var line in BridgeSettingsLoader.FromEnvironment().Describe())
                    {
                        await stdout.WriteLineAsync(line);
                    }

                    await stdout.WriteLineAsync("configuration is valid");
                    return Success;
                case "once":
                    return await OnceCommand.RunAsync(rest, BridgeSettingsLoader.FromEnvironment(), stdout, time, cancellationToken);
                case "clusters":
                    return await ClustersCommand.RunAsync(CommandArguments.Parse(command, rest, Commands[command]), BridgeSettingsLoader.FromEnvironment(),
                        stdout, time, cancellationToken);
                case "serve":
                    CommandArguments.Parse(command, rest, Commands[command]);
                    return await ServeCommand.RunAsync(BridgeSettingsLoader.FromEnvironment(), time, cancellationToken);
                default:
                    await stderr.WriteAsync($"unknown command '{command}'\n{Help}");
                    return UsageError;
            }
        }
        catch (UsageException e)
        {
            await stderr.WriteLineAsync(e.Message);
            return UsageError;
        }
        catch (ConfigurationException e)
        {
            // One line, with every problem, so that one restart fixes them all.
            await stderr.WriteLineAsync("invalid configuration: " + string.Join("; ", e.AllProblems.Select(p => p.Message)));
            return Failure;
        }
        catch (InvalidDataException e)
        {
            await stderr.WriteLineAsync(e.Message);
            return Failure;
        }
    }
}
