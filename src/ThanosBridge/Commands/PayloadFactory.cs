using ThanosBridge.Core.Packaging;
using ThanosBridge.Core.Reports;

namespace ThanosBridge.Commands;

/// <summary>Turns one cluster-day's reports into its payload (Bridge decision b: 00:00 up to the last hour).</summary>
internal static class PayloadFactory
{
    public static PackagingResult Package(string clusterId, ReportSet reports, DateTimeOffset lastHour, Guid uuid, DateTimeOffset now, TimeSpan step)
    {
        var dayStart = new DateTimeOffset(lastHour.UtcDateTime.Date, TimeSpan.Zero);
        return PayloadPackager.Package(new PayloadRequest
        {
            ClusterId = clusterId,
            Uuid = uuid,
            PackagingTime = now,
            Start = dayStart,
            End = lastHour.AddHours(1).AddSeconds(-1),
            Tables = reports.Tables,
            CrStatus = new CrStatusInputs { LastQueryStartTime = lastHour, LastQuerySuccessTime = lastHour },
        });
    }
}
