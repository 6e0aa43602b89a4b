using Microsoft.Extensions.Logging;

namespace ThanosBridge.Adapters.OutputDirectory;

/// <summary>Log events of the output-directory store and announcer (EventIds 5200–5299, Delivery stage).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 5201, EventName = "OutputPayloadWritten", Level = LogLevel.Debug,
        Message = "payload {Key} ({Bytes} bytes) written to {Path}")]
    public static partial void PayloadWritten(ILogger logger, string key, int bytes, string path);

    [LoggerMessage(EventId = 5202, EventName = "OutputAnnouncementWritten", Level = LogLevel.Information,
        Message = "announcement {RequestId} for cluster {ClusterId} (org {OrgId}) written to {Path} instead of Kafka")]
    public static partial void AnnouncementWritten(ILogger logger, string requestId, string clusterId, string orgId, string path);
}
