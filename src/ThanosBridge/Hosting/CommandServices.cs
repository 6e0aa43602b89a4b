using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ThanosBridge.Configuration;

namespace ThanosBridge.Hosting;

/// <summary>
/// The container of a command run outside the web host (<c>once</c>, <c>clusters</c>): delivery as <c>serve</c> has it
/// (<see cref="DeliveryServiceCollectionExtensions.AddBridgeDelivery"/>), with logs on stderr from Warning up, because
/// commands print their results on stdout.
/// </summary>
internal static class CommandServices
{
    public static ServiceProvider Build(BridgeSettings settings, TimeProvider time, string? recordDirectory = null) =>
        new ServiceCollection()
            .AddLogging(b => b
                .AddSimpleConsole(o =>
                {
                    o.SingleLine = true;
                    o.UseUtcTimestamp = true;
                    o.TimestampFormat = "HH:mm:ss ";
                })
                .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace)
                .SetMinimumLevel(LogLevel.Warning))
            .AddSingleton(time)
            .AddBridgeDelivery(settings, recordDirectory)
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
}
