using ThanosBridge.Commands;

return await BridgeCommandLine.RunAsync(args, Console.Out, Console.Error, TimeProvider.System, CancellationToken.None);
