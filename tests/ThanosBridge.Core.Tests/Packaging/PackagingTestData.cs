using System.Formats.Tar;
using System.IO.Compression;
using ThanosBridge.Core.Csv;
using ThanosBridge.Core.Packaging;
using ThanosBridge.TestSupport.Koku;

namespace ThanosBridge.Core.Tests.Packaging;

/// <summary>Shared inputs and tar readers for the packaging tests.</summary>
internal static class PackagingTestData
{
    public const string ClusterId = "30d0669b-4d46-479d-accb-9784e9d129d8";

    public const string UuidText = "3f0e2c51-9a7d-4b8e-a1c2-5d6e7f809a1b";

    public static readonly Guid Uuid = Guid.Parse(UuidText);

    public static readonly DateTimeOffset Day = new(2026, 8, 5, 0, 0, 0, TimeSpan.Zero);

    /// <summary>03:10:07.1234567: a sub-second packaging time, so truncation to seconds is visible.</summary>
    public static readonly DateTimeOffset PackagingTime = Day.AddHours(3).AddMinutes(10).AddSeconds(7).AddTicks(1_234_567);

    public static PayloadRequest Request(int hours = 3, bool ros = true, IReadOnlyList<CsvTable>? tables = null) => new()
    {
        ClusterId = Core.Discovery.ClusterId.Parse(ClusterId),
        Uuid = Uuid,
        PackagingTime = PackagingTime,
        Start = Day,
        End = Day.AddHours(hours).AddSeconds(-1),
        Tables = tables ?? SampleReportTables.ForDay(Day, hours, ros),
        CrStatus = new CrStatusInputs { ClusterChannel = "stable-4.18", OperatorCommit = "abc123" },
    };

    public static byte[] Gunzip(byte[] gz)
    {
        using var input = new GZipStream(new MemoryStream(gz), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }

    public static List<(string Name, byte[] Content, TarEntry Entry)> Members(byte[] gz)
    {
        var members = new List<(string, byte[], TarEntry)>();
        using var reader = new TarReader(new MemoryStream(Gunzip(gz)));
        while (reader.GetNextEntry(copyData: true) is { } entry)
        {
            using var content = new MemoryStream();
            entry.DataStream?.CopyTo(content);
            members.Add((entry.Name, content.ToArray(), entry));
        }

        return members;
    }
}
