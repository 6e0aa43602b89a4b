using System.Formats.Tar;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ThanosBridge.TestSupport.Koku;

/// <summary>
/// Checks a payload against what the deployed koku needs (koku-ingestion.md §1.5–1.9, §2, §7), re-implemented from
/// the contract and independent of the production packager, so that a packager bug cannot hide itself. Where koku
/// is lenient but the bridge promises CMMO's exact format (headers, datetime text, labels) the check is strict.
/// </summary>
public static partial class KokuPayloadValidator
{
    /// <summary>koku reads at most this much of manifest.json.</summary>
    private const int MaxManifestBytes = 10 * 1024 * 1024;

    /// <summary>koku's <c>report_name varchar(128)</c>.</summary>
    private const int MaxFileNameLength = 128;

    /// <summary>Validates a payload that is a single tarball.</summary>
    public static ValidationResult Validate(byte[] tarGz) => Validate([tarGz]);

    /// <summary>Validates the tarballs of one (possibly split) payload together: every part must hold the same manifest.</summary>
    public static ValidationResult Validate(IReadOnlyList<byte[]> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var v = new List<Violation>();
        var members = new List<TarMemberFacts>();
        for (var p = 0; p < parts.Count; p++)
        {
            members.AddRange(ReadPart(p, parts[p], v));
        }

        CheckMembers(parts.Count, members, v);

        var manifestMembers = members.Where(m => m.Name == "manifest.json").ToList();
        KokuManifestFacts? manifest = null;
        if (manifestMembers.Count == 0)
        {
            v.Add(new(KokuRules.ManifestMissing, "no member named exactly 'manifest.json' at the archive root"));
        }
        else
        {
            if (manifestMembers.Select(m => Convert.ToHexString(m.Content)).Distinct().Count() > 1)
            {
                v.Add(new(KokuRules.PartsManifestMismatch, "the parts carry different manifest.json contents"));
            }

            manifest = ParseManifest(manifestMembers[0].Content, v);
        }

        var csvs = new List<CsvFileFacts>();
        if (manifest is not null)
        {
            CheckListing(manifest, members, v);
        }

        foreach (var member in members.Where(m => m.Name.EndsWith(".csv", StringComparison.Ordinal)))
        {
            var ros = manifest?.ResourceOptimizationFiles.Contains(member.Name) == true;
            csvs.Add(CheckCsv(member, ros, manifest, v));
        }

        return new ValidationResult(v, manifest, members, csvs);
    }

    /// <summary>Throws <see cref="KokuPayloadException"/> listing every violation; returns the facts otherwise.</summary>
    public static ValidationResult AssertValid(byte[] tarGz) => AssertValid([tarGz]);

    /// <inheritdoc cref="AssertValid(byte[])"/>
    public static ValidationResult AssertValid(IReadOnlyList<byte[]> parts)
    {
        var result = Validate(parts);
        return result.IsValid ? result : throw new KokuPayloadException(result.ToString());
    }

    private static List<TarMemberFacts> ReadPart(int part, byte[] tarGz, List<Violation> v)
    {
        var prefix = PartPrefix(part);
        byte[] tar;
        try
        {
            using var gzip = new GZipStream(new MemoryStream(tarGz, writable: false), CompressionMode.Decompress);
            using var buffer = new MemoryStream();
            gzip.CopyTo(buffer);
            tar = buffer.ToArray();
        }
        catch (InvalidDataException e)
        {
            v.Add(new(KokuRules.Gzip, $"{prefix}not a gzip stream: {e.Message}"));
            return [];
        }

        var members = new List<TarMemberFacts>();
        try
        {
            using var reader = new TarReader(new MemoryStream(tar, writable: false));
            while (reader.GetNextEntry(copyData: true) is { } entry)
            {
                byte[] content = [];
                if (entry.DataStream is { } data)
                {
                    using var copy = new MemoryStream();
                    data.CopyTo(copy);
                    content = copy.ToArray();
                }

                var (uname, gname) = entry is PosixTarEntry posix ? (posix.UserName, posix.GroupName) : (string.Empty, string.Empty);
                members.Add(new TarMemberFacts(part, entry.Name, entry.EntryType, entry.Format, entry.Mode, entry.Uid, entry.Gid,
                    uname, gname, entry.ModificationTime, content));
            }
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException or ArgumentException)
        {
            v.Add(new(KokuRules.Tar, $"{prefix}not a readable tar archive: {e.Message}"));
        }

        if (members.Count == 0 && !v.Any(x => x.Rule == KokuRules.Tar))
        {
            v.Add(new(KokuRules.Tar, $"{prefix}the tar archive is empty"));
        }

        return members;
    }

    private static void CheckMembers(int partCount, List<TarMemberFacts> members, List<Violation> v)
    {
        foreach (var m in members)
        {
            var prefix = PartPrefix(m.Part);
            if (m.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile))
            {
                v.Add(new(KokuRules.MemberType, $"{prefix}'{m.Name}' is a {m.EntryType}, not a regular file"));
            }

            if (!IsSafePathComponent(m.Name) || m.Name.StartsWith("./", StringComparison.Ordinal))
            {
                v.Add(new(KokuRules.MemberName, $"{prefix}'{m.Name}' is not a plain file name at the archive root"));
            }
            else if (m.Name != "manifest.json" && !m.Name.EndsWith(".csv", StringComparison.Ordinal))
            {
                v.Add(new(KokuRules.MemberUnexpected, $"{prefix}'{m.Name}' is neither a CSV nor manifest.json"));
            }
        }

        foreach (var part in members.GroupBy(m => m.Part))
        {
            var prefix = PartPrefix(part.Key);
            foreach (var dup in part.GroupBy(m => m.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
            {
                v.Add(new(KokuRules.MemberDuplicate, $"{prefix}'{dup.Key}' appears {dup.Count()} times"));
            }

            if (part.Any(m => m.Name == "manifest.json") && part.Last().Name != "manifest.json")
            {
                v.Add(new(KokuRules.ManifestLast, $"{prefix}manifest.json is not the last member"));
            }

            if (partCount > 1 && part.Count(m => m.Name.EndsWith(".csv", StringComparison.Ordinal)) != 1)
            {
                v.Add(new(KokuRules.PartsLayout, $"{prefix}a split payload part must hold exactly one CSV"));
            }
        }

        foreach (var dup in members.Where(m => m.Name.EndsWith(".csv", StringComparison.Ordinal))
                     .GroupBy(m => m.Name, StringComparer.Ordinal)
                     .Where(g => g.Select(m => m.Part).Distinct().Count() > 1))
        {
            v.Add(new(KokuRules.MemberDuplicate, $"'{dup.Key}' is in more than one part"));
        }
    }

    private static KokuManifestFacts? ParseManifest(byte[] bytes, List<Violation> v)
    {
        if (bytes.Length > MaxManifestBytes)
        {
            v.Add(new(KokuRules.ManifestJson, $"manifest.json is {bytes.Length} bytes; koku reads at most {MaxManifestBytes}"));
            return null;
        }

        string json;
        JsonElement root;
        try
        {
            json = new UTF8Encoding(false, true).GetString(bytes);
            using var doc = JsonDocument.Parse(json);
            root = doc.RootElement.Clone();
        }
        catch (Exception e) when (e is JsonException or DecoderFallbackException)
        {
            v.Add(new(KokuRules.ManifestJson, $"manifest.json does not parse: {e.Message}"));
            return null;
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            v.Add(new(KokuRules.ManifestJson, $"manifest.json is a JSON {root.ValueKind}, not an object"));
            return null;
        }

        var uuid = OptionalString(root, "uuid");
        if (uuid is null || !Uuid4().IsMatch(uuid))
        {
            v.Add(new(KokuRules.ManifestUuid, $"uuid {Show(root, "uuid")} is not a version-4 RFC 4122 UUID"));
        }

        var clusterId = OptionalString(root, "cluster_id");
        if (clusterId is null || !IsSafePathComponent(clusterId))
        {
            v.Add(new(KokuRules.ManifestClusterId, $"cluster_id {Show(root, "cluster_id")} is not a safe path component"));
        }

        var version = OptionalString(root, "version");
        if (string.IsNullOrEmpty(version))
        {
            v.Add(new(KokuRules.ManifestVersion, $"version {Show(root, "version")} must be a non-empty string (empty means additive ingestion)"));
        }

        var date = ParseRfc3339(OptionalString(root, "date"));
        if (date is null)
        {
            v.Add(new(KokuRules.ManifestDate, $"date {Show(root, "date")} is not an RFC 3339 time with at most 9 fraction digits"));
        }

        var files = FileList(root, "files", v);
        var rosFiles = FileList(root, "resource_optimization_files", v);
        foreach (var both in files.Intersect(rosFiles, StringComparer.Ordinal))
        {
            v.Add(new(KokuRules.ManifestFiles, $"'{both}' is listed in both files and resource_optimization_files"));
        }

        var (start, end, hours) = CheckWindow(root, v);

        bool? daily = root.TryGetProperty("daily_reports", out var d) && d.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? d.GetBoolean()
            : null;
        if (daily != true)
        {
            v.Add(new(KokuRules.ManifestDailyReports, $"daily_reports is {Show(root, "daily_reports")}; it must be true (replace-by-day ingestion)"));
        }

        bool? certified = null;
        if (root.TryGetProperty("certified", out var c))
        {
            if (c.ValueKind is JsonValueKind.True or JsonValueKind.False)
            {
                certified = c.GetBoolean();
            }
            else
            {
                v.Add(new(KokuRules.ManifestCertified, $"certified is a JSON {c.ValueKind}, not a boolean"));
            }
        }

        if (root.TryGetProperty("cr_status", out var crStatus))
        {
            CheckCrStatus(crStatus, v);
        }

        return new KokuManifestFacts(json, uuid, clusterId, version, date, files, rosFiles, start, end, daily, certified, hours);
    }

    private static (DateTimeOffset? Start, DateTimeOffset? End, Dictionary<DateOnly, int> Hours) CheckWindow(JsonElement root, List<Violation> v)
    {
        var hours = new Dictionary<DateOnly, int>();
        var start = ParseRfc3339(OptionalString(root, "start"));
        var end = ParseRfc3339(OptionalString(root, "end"));
        if (start is not { } s || s.UtcDateTime == DateTime.MinValue)
        {
            v.Add(new(KokuRules.ManifestStart, $"start {Show(root, "start")} is missing, unparseable or Go's zero time: koku never summarises"));
            start = null;
        }
        else if (s.UtcDateTime.TimeOfDay != TimeSpan.Zero)
        {
            v.Add(new(KokuRules.ManifestStart, $"start {s:O} is not 00:00:00 of a UTC day"));
        }

        if (end is not { } e || e.UtcDateTime == DateTime.MinValue)
        {
            v.Add(new(KokuRules.ManifestEnd, $"end {Show(root, "end")} is missing, unparseable or Go's zero time: koku never summarises"));
            end = null;
        }
        else if (e.UtcDateTime.Minute != 59 || e.UtcDateTime.Second != 59 || e.UtcDateTime.Ticks % TimeSpan.TicksPerSecond != 0
                 || (start is { } s2 && e.UtcDateTime.Date != s2.UtcDateTime.Date))
        {
            v.Add(new(KokuRules.ManifestEnd, $"end {e:O} is not HH:59:59 of the start's UTC day"));
        }

        if (start is { } from && end is { } to)
        {
            // koku's hours_per_day: per UTC date, ceil of the overlap of [start, end] with that day in hours.
            for (var day = from.UtcDateTime.Date; day <= to.UtcDateTime.Date; day = day.AddDays(1))
            {
                var overlap = (Min(to.UtcDateTime, day.AddDays(1)) - Max(from.UtcDateTime, day)).TotalSeconds;
                var h = (int)Math.Ceiling(overlap / 3600);
                hours[DateOnly.FromDateTime(day)] = h;
                if (h is < 1 or > 24)
                {
                    v.Add(new(KokuRules.ManifestHours, $"hours_per_day for {day:yyyy-MM-dd} is {h}; it must be 1–24"));
                }
            }

            if (to < from)
            {
                v.Add(new(KokuRules.ManifestHours, $"end {to:O} is before start {from:O}"));
            }
        }

        return (start, end, hours);
    }

    private static void CheckCrStatus(JsonElement crStatus, List<Violation> v)
    {
        if (crStatus.ValueKind != JsonValueKind.Object)
        {
            v.Add(new(KokuRules.ManifestCrStatus, $"cr_status is a JSON {crStatus.ValueKind}, not an object"));
            return;
        }

        // koku stores operator_airgapped = NOT cr_status.upload.upload.
        if (!(crStatus.TryGetProperty("upload", out var upload) && upload.ValueKind == JsonValueKind.Object
              && upload.TryGetProperty("upload", out var toggle) && toggle.ValueKind == JsonValueKind.True))
        {
            v.Add(new(KokuRules.ManifestCrStatus, "cr_status.upload.upload is not true: koku would record the source as air-gapped"));
        }

        foreach (var section in new[] { "authentication", "packaging", "upload", "prometheus", "source" })
        {
            if (crStatus.TryGetProperty(section, out var s) && s.ValueKind == JsonValueKind.Object && s.TryGetProperty("error", out _))
            {
                v.Add(new(KokuRules.ManifestCrStatus, $"cr_status.{section}.error is set: koku records it as an operator error"));
            }
        }

        foreach (var text in Strings(crStatus))
        {
            if (text.Contains("://", StringComparison.Ordinal))
            {
                v.Add(new(KokuRules.ManifestCrStatus, $"cr_status contains a URL ('{text}'); it must carry no endpoints or secrets"));
            }
        }
    }

    private static void CheckListing(KokuManifestFacts manifest, List<TarMemberFacts> members, List<Violation> v)
    {
        var present = members.Select(m => m.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var name in manifest.Files.Concat(manifest.ResourceOptimizationFiles).Where(n => !present.Contains(n)))
        {
            v.Add(new(KokuRules.ManifestFileMissing, $"'{name}' is listed in the manifest but not in the archive: the manifest never completes"));
        }

        var listed = manifest.Files.Concat(manifest.ResourceOptimizationFiles).ToHashSet(StringComparer.Ordinal);
        foreach (var m in members.Where(m => m.Name.EndsWith(".csv", StringComparison.Ordinal) && !listed.Contains(m.Name)))
        {
            v.Add(new(KokuRules.MemberUnlisted, $"{PartPrefix(m.Part)}'{m.Name}' is not listed in the manifest: koku ignores it"));
        }
    }

    private static CsvFileFacts CheckCsv(TarMemberFacts member, bool ros, KokuManifestFacts? manifest, List<Violation> v)
    {
        var name = member.Name;
        List<List<string>> records;
        try
        {
            records = KokuCsvReader.Read(member.Content);
        }
        catch (FormatException e)
        {
            v.Add(new(e.InnerException is DecoderFallbackException ? KokuRules.CsvEncoding : KokuRules.CsvSyntax, $"{name}: {e.Message}"));
            return new CsvFileFacts(name, KokuReportType.Unknown, [], []);
        }

        if (records.Count == 0)
        {
            v.Add(new(KokuRules.CsvHeader, $"{name}: no header line"));
            return new CsvFileFacts(name, KokuReportType.Unknown, [], []);
        }

        var header = records[0];
        var rows = records.Skip(1).Select(r => (IReadOnlyList<string>)r).ToList();
        KokuReportType type;
        if (ros)
        {
            type = header.SequenceEqual(KokuCsvSchemas.RosContainerHeader) ? KokuReportType.RosContainer
                : header.SequenceEqual(KokuCsvSchemas.RosNamespaceHeader) ? KokuReportType.RosNamespace
                : KokuReportType.Unknown;
            if (type == KokuReportType.Unknown)
            {
                v.Add(new(KokuRules.CsvHeader, $"{name}: header is neither CMMO's ROS container nor ROS namespace header"));
            }
        }
        else
        {
            type = KokuCsvSchemas.Detect(header);
            if (type == KokuReportType.Unknown)
            {
                v.Add(new(KokuRules.CsvType, $"{name}: koku detects no report type from the header (a required column is missing)"));
            }
            else if (!header.SequenceEqual(KokuCsvSchemas.HeaderOf(type)))
            {
                v.Add(new(KokuRules.CsvHeader, $"{name}: header differs from CMMO's {type} header (extra columns make the on-prem insert fail)"));
            }
        }

        var facts = new CsvFileFacts(name, type, header, rows);
        if (type == KokuReportType.Unknown)
        {
            return facts;
        }

        if (type == KokuReportType.PodUsage && rows.Count == 0)
        {
            v.Add(new(KokuRules.CsvPodEmpty, $"{name}: the pod CSV has only a header (CMMO cannot package it; start cannot be read)"));
        }

        var day = manifest?.Start?.UtcDateTime.Date;
        var end = manifest?.End;
        for (var r = 0; r < rows.Count; r++)
        {
            var row = rows[r];
            var where = $"{name} row {r + 1}";
            if (row.Count != header.Count)
            {
                v.Add(new(KokuRules.CsvFieldCount, $"{where}: {row.Count} fields, the header has {header.Count}"));
                continue;
            }

            for (var c = 0; c < header.Count; c++)
            {
                CheckCell(type, header[c], row[c], $"{where} column {header[c]}", day, end, v);
            }
        }

        return facts;
    }

    private static void CheckCell(KokuReportType type, string column, string value, string where, DateTime? day, DateTimeOffset? end, List<Violation> v)
    {
        if (KokuCsvSchemas.DatetimeColumns.Contains(column))
        {
            var t = ParseCsvDatetime(value);
            if (t is null)
            {
                v.Add(new(KokuRules.CsvDatetime, $"{where}: '{value}' is not 'YYYY-MM-DD HH:MM:SS +0000 UTC'"));
            }
            else if (column == "interval_start" && ((day is { } d && t.Value.Date != d) || (end is { } e && t.Value > e.UtcDateTime)))
            {
                v.Add(new(KokuRules.CsvIntervalDay, $"{where}: '{value}' is outside the manifest's window (day {day:yyyy-MM-dd}, end {end:O})"));
            }

            return;
        }

        if (KokuCsvSchemas.IsNumeric(type, column))
        {
            if (value.Length == 0)
            {
                return;
            }

            if (!TryParseNumber(value, out var number))
            {
                v.Add(new(KokuRules.CsvNumber, $"{where}: '{value}' is not a number (koku would store 0)"));
            }
            else if (type is KokuReportType.PodUsage or KokuReportType.StorageUsage
                     && (column.EndsWith("_seconds", StringComparison.Ordinal) || column.EndsWith("_bytes", StringComparison.Ordinal))
                     && number > 1e18)
            {
                v.Add(new(KokuRules.CsvAnomaly, $"{where}: {value} > 1e18; koku drops the row as anomalous"));
            }

            return;
        }

        if (KokuCsvSchemas.IsLabels(column))
        {
            if (value.Length > 0 && value.Split('|').Any(item => item.Count(ch => ch == ':') != 1 || item.StartsWith(':')))
            {
                v.Add(new(KokuRules.CsvLabels, $"{where}: '{value}' is not name:value items joined by '|' with exactly one ':' each"));
            }

            return;
        }

        if (type is not (KokuReportType.RosContainer or KokuReportType.RosNamespace) && KokuCsvSchemas.MaxLength(column) is { } max)
        {
            var stored = KokuCsvSchemas.IsSanitised(column) ? HtmlEscape(value) : value;
            var length = stored.EnumerateRunes().Count();
            if (length > max)
            {
                v.Add(new(KokuRules.CsvLength, $"{where}: {length} characters as stored, the column holds {max}"));
            }
        }
    }

    private static List<string> FileList(JsonElement root, string key, List<Violation> v)
    {
        var names = new List<string>();
        if (!root.TryGetProperty(key, out var list) || list.ValueKind != JsonValueKind.Array)
        {
            // koku would default null/absent to [], but the bridge always writes an array (Bridge decision a).
            v.Add(new(KokuRules.ManifestFiles, $"{key} is {Show(root, key)}, not an array"));
            return names;
        }

        foreach (var item in list.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                v.Add(new(KokuRules.ManifestFiles, $"{key} holds a JSON {item.ValueKind}, not a string"));
                continue;
            }

            var name = item.GetString()!;
            if (!IsSafePathComponent(name) || name.Length > MaxFileNameLength)
            {
                v.Add(new(KokuRules.ManifestFiles, $"{key}: '{name}' is not a safe file name of at most {MaxFileNameLength} characters"));
            }

            if (names.Contains(name))
            {
                v.Add(new(KokuRules.ManifestFiles, $"{key}: '{name}' is listed twice (koku's file-count guard then stops the message)"));
            }

            names.Add(name);
        }

        return names;
    }

    /// <summary>koku's <c>common.py</c> safe path component rule.</summary>
    private static bool IsSafePathComponent(string value) =>
        value.Length > 0 && value is not "." and not ".."
        && !value.Contains('/', StringComparison.Ordinal)
        && !value.Contains('\\', StringComparison.Ordinal)
        && !value.Contains("..", StringComparison.Ordinal);

    private static DateTimeOffset? ParseRfc3339(string? text)
    {
        if (text is null || Rfc3339().Match(text) is not { Success: true } m)
        {
            return null;
        }

        try
        {
            var offset = m.Groups["zone"].Value is "Z" or "z"
                ? TimeSpan.Zero
                : TimeSpan.ParseExact(m.Groups["zone"].Value[1..], @"hh\:mm", CultureInfo.InvariantCulture)
                  * (m.Groups["zone"].Value[0] == '-' ? -1 : 1);
            var fraction = m.Groups["fraction"].Value.PadRight(7, '0')[..7];
            var value = new DateTimeOffset(Int(m, "year"), Int(m, "month"), Int(m, "day"), Int(m, "hour"), Int(m, "minute"), Int(m, "second"), offset);
            return value.AddTicks(long.Parse(fraction, CultureInfo.InvariantCulture));
        }
        catch (Exception e) when (e is ArgumentOutOfRangeException or FormatException or OverflowException)
        {
            return null;
        }
    }

    private static DateTime? ParseCsvDatetime(string text) =>
        DateTime.TryParseExact(text, "yyyy-MM-dd HH:mm:ss '+0000 UTC'", CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var t) && CsvDatetime().IsMatch(text)
            ? t
            : null;

    private static bool TryParseNumber(string text, out double value)
    {
        value = text switch
        {
            "NaN" => double.NaN,
            "+Inf" or "Inf" => double.PositiveInfinity,
            "-Inf" => double.NegativeInfinity,
            _ => 0,
        };
        if (text is "NaN" or "+Inf" or "Inf" or "-Inf")
        {
            return true;
        }

        return Decimal().IsMatch(text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>Python's <c>html.escape(s, quote=True)</c>.</summary>
    private static string HtmlEscape(string value) => value
        .Replace("&", "&amp;", StringComparison.Ordinal)
        .Replace("<", "&lt;", StringComparison.Ordinal)
        .Replace(">", "&gt;", StringComparison.Ordinal)
        .Replace("\"", "&quot;", StringComparison.Ordinal)
        .Replace("'", "&#x27;", StringComparison.Ordinal);

    private static IEnumerable<string> Strings(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => [element.GetString()!],
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => Strings(p.Value).Prepend(p.Name)),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(Strings),
        _ => [],
    };

    private static string? OptionalString(JsonElement root, string key) =>
        root.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string Show(JsonElement root, string key) =>
        root.TryGetProperty(key, out var value) ? value.GetRawText() : "(absent)";

    private static int Int(Match m, string group) => int.Parse(m.Groups[group].Value, CultureInfo.InvariantCulture);

    private static string PartPrefix(int part) => part == 0 ? string.Empty : $"part {part}: ";

    private static DateTime Min(DateTime a, DateTime b) => a < b ? a : b;

    private static DateTime Max(DateTime a, DateTime b) => a > b ? a : b;

    [GeneratedRegex("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-4[0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$")]
    private static partial Regex Uuid4();

    [GeneratedRegex(@"^(?<year>\d{4})-(?<month>\d{2})-(?<day>\d{2})[Tt](?<hour>\d{2}):(?<minute>\d{2}):(?<second>\d{2})(?:\.(?<fraction>\d{1,9}))?(?<zone>[Zz]|[+-]\d{2}:\d{2})$")]
    private static partial Regex Rfc3339();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} \+0000 UTC$")]
    private static partial Regex CsvDatetime();

    [GeneratedRegex(@"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$")]
    private static partial Regex Decimal();
}
