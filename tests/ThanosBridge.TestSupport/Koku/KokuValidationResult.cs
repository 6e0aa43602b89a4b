using System.Formats.Tar;

namespace ThanosBridge.TestSupport.Koku;

/// <summary>One broken rule: <see cref="Rule"/> is a stable id from <see cref="KokuRules"/>.</summary>
public sealed record Violation(string Rule, string Message)
{
    public override string ToString() => $"[{Rule}] {Message}";
}

/// <summary>A member of one of the tarballs, as read.</summary>
public sealed record TarMemberFacts(
    int Part,
    string Name,
    TarEntryType EntryType,
    TarEntryFormat Format,
    UnixFileMode Mode,
    int Uid,
    int Gid,
    string UserName,
    string GroupName,
    DateTimeOffset ModificationTime,
    byte[] Content);

/// <summary>The manifest fields koku reads, as parsed (null where absent or unusable).</summary>
public sealed record KokuManifestFacts(
    string Json,
    string? Uuid,
    string? ClusterId,
    string? Version,
    DateTimeOffset? Date,
    IReadOnlyList<string> Files,
    IReadOnlyList<string> ResourceOptimizationFiles,
    DateTimeOffset? Start,
    DateTimeOffset? End,
    bool? DailyReports,
    bool? Certified,
    IReadOnlyDictionary<DateOnly, int> HoursPerDay);

/// <summary>A CSV member: its detected type (header-based for cost files) and parsed content.</summary>
public sealed record CsvFileFacts(
    string Name,
    KokuReportType Type,
    IReadOnlyList<string> Header,
    IReadOnlyList<IReadOnlyList<string>> Rows)
{
    public int RowCount => Rows.Count;
}

/// <summary>What <see cref="KokuPayloadValidator"/> found: the violations and the facts it parsed on the way.</summary>
public sealed class ValidationResult
{
    internal ValidationResult(
        IReadOnlyList<Violation> violations,
        KokuManifestFacts? manifest,
        IReadOnlyList<TarMemberFacts> members,
        IReadOnlyList<CsvFileFacts> csvs)
    {
        Violations = violations;
        Manifest = manifest;
        Members = members;
        Csvs = csvs;
    }

    public IReadOnlyList<Violation> Violations { get; }

    public bool IsValid => Violations.Count == 0;

    public KokuManifestFacts? Manifest { get; }

    public IReadOnlyList<TarMemberFacts> Members { get; }

    public IReadOnlyList<CsvFileFacts> Csvs { get; }

    /// <summary>The rule ids that were broken, for assertions.</summary>
    public IReadOnlySet<string> Rules => Violations.Select(v => v.Rule).ToHashSet(StringComparer.Ordinal);

    public CsvFileFacts Csv(KokuReportType type) => Csvs.Single(c => c.Type == type);

    public override string ToString() => IsValid
        ? "valid koku payload"
        : $"{Violations.Count} koku rule violation(s):{Environment.NewLine}" + string.Join(Environment.NewLine, Violations);
}

/// <summary>Thrown by <see cref="KokuPayloadValidator.AssertValid(byte[])"/>; the message lists every violation.</summary>
public sealed class KokuPayloadException : Exception
{
    public KokuPayloadException()
    {
    }

    public KokuPayloadException(string message)
        : base(message)
    {
    }

    public KokuPayloadException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>Rule ids reported by <see cref="KokuPayloadValidator"/>.</summary>
public static class KokuRules
{
    public const string Gzip = "archive.gzip";
    public const string Tar = "archive.tar";
    public const string ManifestLast = "archive.manifest_last";
    public const string MemberType = "member.type";
    public const string MemberName = "member.name";
    public const string MemberDuplicate = "member.duplicate";
    public const string MemberUnexpected = "member.unexpected";
    public const string MemberUnlisted = "member.unlisted";
    public const string PartsManifestMismatch = "parts.manifest_mismatch";
    public const string PartsLayout = "parts.layout";
    public const string ManifestMissing = "manifest.missing";
    public const string ManifestJson = "manifest.json";
    public const string ManifestUuid = "manifest.uuid";
    public const string ManifestClusterId = "manifest.cluster_id";
    public const string ManifestDate = "manifest.date";
    public const string ManifestFiles = "manifest.files";
    public const string ManifestFileMissing = "manifest.file_missing";
    public const string ManifestStart = "manifest.start";
    public const string ManifestEnd = "manifest.end";
    public const string ManifestHours = "manifest.hours";
    public const string ManifestDailyReports = "manifest.daily_reports";
    public const string ManifestVersion = "manifest.version";
    public const string ManifestCertified = "manifest.certified";
    public const string ManifestCrStatus = "manifest.cr_status";
    public const string CsvEncoding = "csv.encoding";
    public const string CsvSyntax = "csv.syntax";
    public const string CsvType = "csv.type";
    public const string CsvHeader = "csv.header";
    public const string CsvFieldCount = "csv.field_count";
    public const string CsvDatetime = "csv.datetime";
    public const string CsvIntervalDay = "csv.interval_day";
    public const string CsvNumber = "csv.number";
    public const string CsvLabels = "csv.labels";
    public const string CsvLength = "csv.length";
    public const string CsvAnomaly = "csv.anomaly";
    public const string CsvPodEmpty = "csv.pod_empty";
}
