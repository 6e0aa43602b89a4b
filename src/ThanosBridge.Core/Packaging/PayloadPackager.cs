using System.Globalization;
using ThanosBridge.Core.Csv;
using ThanosBridge.Core.Reports;

namespace ThanosBridge.Core.Packaging;

/// <summary>
/// Builds the tar.gz payload(s) and manifest of one cluster-day, as CMMO's <c>PackageReports</c> does
/// (cmmo-output.md §4.2–4.4) with the Bridge decisions: deterministic order (name order everywhere CMMO is
/// random), <c>[]</c> for empty lists, start/end given by the caller. Pure: same request, same bytes.
/// </summary>
public static class PayloadPackager
{
    private const long Mebibyte = 1024 * 1024;

    private static readonly ReportKind[] CostKinds =
    [
        ReportKind.Node, ReportKind.Pod, ReportKind.Storage, ReportKind.VirtualMachine, ReportKind.Namespace, ReportKind.NvidiaGpu,
    ];

    /// <summary>Packages <paramref name="request"/>, splitting at <see cref="PayloadRequest.MaxSizeMegabytes"/> MiB.</summary>
    /// <exception cref="ArgumentException">The request breaks a rule koku or CMMO depends on.</exception>
    public static PackagingResult Package(PayloadRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentOutOfRangeException.ThrowIfLessThan(request.MaxSizeMegabytes, 1, nameof(request));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(request.MaxSizeMegabytes, PayloadRequest.DefaultMaxSizeMegabytes, nameof(request));
        return Package(request, request.MaxSizeMegabytes * Mebibyte);
    }

    /// <summary>Test hook: any split threshold, so splitting can be exercised with small tables.</summary>
    internal static PackagingResult Package(PayloadRequest request, long maxBytes)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 1);
        Validate(request);

        var uuid = request.Uuid.ToString("D");

        // Name order, as CMMO stages data/*.csv; the uuid prefix of the staged name does not change it.
        var tables = request.Tables.OrderBy(t => t.FileName, StringComparer.Ordinal).ToList();
        // Sizes only: each CSV is rendered once, row by row, straight into the tar.gz (CsvTableStream).
        var rendered = tables.Select(t => (Table: t, Size: new CsvTableStream(t).Length)).ToList();
        long total = 0;
        var split = false;
        foreach (var (_, size) in rendered)
        {
            total += size;
            split |= size >= maxBytes || total >= maxBytes;
        }

        if (split)
        {
            rendered = rendered
                .SelectMany(r => r.Size >= maxBytes
                    ? CsvSplitter.Split(r.Table, maxBytes).Select(p => (Table: p, Size: new CsvTableStream(p).Length))
                    : [r])
                // idx is the position in name order after the split (so part 10 sorts before part 2, as in CMMO).
                .OrderBy(r => r.Table.FileName, StringComparer.Ordinal)
                .ToList();
        }

        var members = rendered
            .Select((r, idx) => (
                Name: string.Create(CultureInfo.InvariantCulture, $"{uuid}-{r.Table.FileName[..^".csv".Length]}.{idx}.csv"),
                Open: (Func<Stream>)(() => new CsvTableStream(r.Table)),
                Ros: r.Table.Kind.IsResourceOptimization()))
            .ToList();

        var end = request.End.ToUniversalTime();
        var manifest = new Manifest(
            request.Uuid,
            request.ClusterId.Value,
            Manifest.BridgeVersion,
            request.PackagingTime.ToUniversalTime(),
            members.Where(m => !m.Ros).Select(m => m.Name).ToList(),
            members.Where(m => m.Ros).Select(m => m.Name).ToList(),
            request.Start.ToUniversalTime(),
            end,
            new CrStatus
            {
                ClusterId = request.ClusterId.Value,
                ClusterChannel = request.CrStatus.ClusterChannel,
                OperatorCommit = request.CrStatus.OperatorCommit,
                PackagingTime = request.PackagingTime,
                MaxSizeMegabytes = request.MaxSizeMegabytes,
                UploadCycleMinutes = request.CrStatus.UploadCycleMinutes,
                ContextTimeoutSeconds = request.CrStatus.ContextTimeoutSeconds,
                LastQueryStartTime = request.CrStatus.LastQueryStartTime,
                LastQuerySuccessTime = request.CrStatus.LastQuerySuccessTime,
                LastHourQueried = end.AddMinutes(-59).AddSeconds(-59),
            });
        var manifestBytes = manifest.ToUtf8Bytes();
        var manifestMember = (Name: "manifest.json", Open: (Func<Stream>)(() => new MemoryStream(manifestBytes, writable: false)));

        IReadOnlyList<PackedPayload> payloads = split
            ? members
                .Select((m, idx) => new PackedPayload(
                    string.Create(CultureInfo.InvariantCulture, $"{uuid}-{idx}.tar.gz"),
                    TarGzWriter.Write([(m.Name, m.Open), manifestMember], request.PackagingTime)))
                .ToList()
            : [new PackedPayload($"{uuid}.tar.gz", TarGzWriter.Write([.. members.Select(m => (m.Name, m.Open)), manifestMember], request.PackagingTime))];

        return new PackagingResult(payloads, manifest, split);
    }

    private static void Validate(PayloadRequest request)
    {
        if (request.Uuid.Version != 4 || (request.Uuid.Variant & 0xC) != 0x8)
        {
            throw new ArgumentException($"Payload uuid {request.Uuid} is not an RFC 4122 version-4 UUID; koku rejects it.", nameof(request));
        }

        var start = request.Start.UtcDateTime;
        var end = request.End.UtcDateTime;
        if (start.TimeOfDay != TimeSpan.Zero)
        {
            throw new ArgumentException($"Start {request.Start:O} is not 00:00:00 UTC of a day.", nameof(request));
        }

        if (end.Date != start.Date || end.Minute != 59 || end.Second != 59 || end.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            throw new ArgumentException($"End {request.End:O} is not HH:59:59 of the start's UTC day {start:yyyy-MM-dd}.", nameof(request));
        }

        RequireSafeStatusText(request.CrStatus.ClusterChannel, "cluster channel");
        RequireSafeStatusText(request.CrStatus.OperatorCommit, "operator commit");

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var table in request.Tables)
        {
            var expected = table.Kind.FileName(request.Start);
            if (table.FileName != expected)
            {
                throw new ArgumentException($"Table {table.Kind} is named '{table.FileName}'; a payload for {start:yyyy-MM-dd} needs '{expected}'.", nameof(request));
            }

            if (!names.Add(table.FileName))
            {
                throw new ArgumentException($"Table {table.Kind} is given twice.", nameof(request));
            }
        }

        foreach (var kind in CostKinds)
        {
            if (!request.Tables.Any(t => t.Kind == kind))
            {
                throw new ArgumentException($"The {kind} table is missing: every payload carries all six cost CSVs, header-only ones included.", nameof(request));
            }
        }

        if (request.Tables.First(t => t.Kind == ReportKind.Pod).Rows.Count == 0)
        {
            // CMMO cannot package a header-only pod CSV either (cmmo-output.md §4.2 step 3, §10 item 21).
            throw new ArgumentException("The pod table has no rows.", nameof(request));
        }
    }

    /// <summary>
    /// Free text in cr_status is limited to version-like characters: that keeps URLs (no '/') and multi-part
    /// secrets out of a manifest that koku stores and logs.
    /// </summary>
    private static void RequireSafeStatusText(string? value, string what)
    {
        if (value is null)
        {
            return;
        }

        if (value.Length is 0 or > 128 || !value.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or '+' or ':'))
        {
            throw new ArgumentException($"The {what} '{value}' must be 1–128 characters of [A-Za-z0-9._+:-].", what);
        }
    }
}
