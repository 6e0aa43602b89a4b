using ThanosBridge.Core.Csv;
using ThanosBridge.Core.Discovery;

namespace ThanosBridge.Core.Packaging;

/// <summary>
/// The one place that decides what a cluster-day payload tells koku (Bridge decision b): it covers the day from
/// 00:00 UTC, its manifest <c>end</c> is the last included hour's HH:59:59, and cr_status reports that hour as the last
/// one queried. Live delivery and <c>replay</c> both package through here, so a replay tells koku the same.
/// </summary>
public static class DayPayload
{
    /// <param name="hours">Hours from 00:00 the payload claims (1–24); koku records them as the day's hours.</param>
    public static PackagingResult Package(
        ClusterId clusterId, IReadOnlyList<CsvTable> tables, DateOnly day, int hours, Guid uuid, DateTimeOffset packagingTime,
        int maxSizeMegabytes = PayloadRequest.DefaultMaxSizeMegabytes)
    {
        var dayStart = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var lastHour = dayStart.AddHours(hours - 1);
        return PayloadPackager.Package(new PayloadRequest
        {
            ClusterId = clusterId,
            Uuid = uuid,
            PackagingTime = packagingTime,
            Start = dayStart,
            End = lastHour.AddHours(1).AddSeconds(-1),
            Tables = tables,
            MaxSizeMegabytes = maxSizeMegabytes,
            CrStatus = new CrStatusInputs { LastQueryStartTime = lastHour, LastQuerySuccessTime = lastHour },
        });
    }
}
