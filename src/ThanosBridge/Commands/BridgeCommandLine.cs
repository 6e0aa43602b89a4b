namespace ThanosBridge.Commands;

/// <summary>Dispatches the first argument to a command. Exit codes: 0 success, 1 failure, 2 usage error.</summary>
internal static class BridgeCommandLine
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int UsageError = 2;

    private const string Help =
        "usage: ThanosBridge <command> [options]\n" +
        "commands:\n" +
        "  " + ReplayCommand.Usage + "\n";

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr, TimeProvider time, CancellationToken cancellationToken)
    {
        try
        {
            switch (args.Count == 0 ? "" : args[0])
            {
                case "replay":
                    return await ReplayCommand.RunAsync([.. args.Skip(1)], stdout, time, cancellationToken);
                case "help" or "--help" or "-h":
                    await stdout.WriteAsync(Help);
                    return Success;
                default:
                    await stderr.WriteAsync($"unknown command '{(args.Count == 0 ? "" : args[0])}'\n{Help}");
                    return UsageError;
            }
        }
        catch (UsageException e)
        {
            await stderr.WriteLineAsync(e.Message);
            return UsageError;
        }
        catch (InvalidDataException e)
        {
            await stderr.WriteLineAsync(e.Message);
            return Failure;
        }
    }
}
