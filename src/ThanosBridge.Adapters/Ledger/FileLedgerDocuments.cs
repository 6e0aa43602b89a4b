using System.Text.Json.Serialization;

namespace ThanosBridge.Adapters.Ledger;

/// <summary><c>&lt;dir&gt;/ledger/format.json</c>: the layout version of the file ledger.</summary>
internal sealed record FormatDocument(int Format);

/// <summary>
/// <c>&lt;dir&gt;/ledger/&lt;cluster_id&gt;/&lt;YYYY-MM-DD&gt;/day.json</c>: everything about one cluster-day except the payload
/// bytes. Replacing this file (write, fsync, rename) is the commit point of every write of the day.
/// </summary>
internal sealed record DayDocument(
    int Format,
    string ClusterId,
    DateOnly Day,
    int FailedAttempts,
    string? LastError,
    DateTimeOffset UpdatedAt,
    IReadOnlyList<SnapshotDocument> Snapshots);

/// <summary>One snapshot of the day; <see cref="State"/> is "packaged", "uploaded" or "published".</summary>
internal sealed record SnapshotDocument(
    Guid Uuid,
    int Hours,
    string State,
    int Attempts,
    string? LastError,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? PublishedAt,
    IReadOnlyList<PartDocument> Parts);

/// <summary>
/// One payload part. <see cref="ContentFile"/> names the file with its bytes in the day directory (written and flushed
/// before the day file that refers to it), or is null once the bytes were dropped; length and digest verify it on read.
/// </summary>
internal sealed record PartDocument(string FileName, string ObjectKey, string? ContentFile, long Length, string Sha256);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    WriteIndented = true,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(DayDocument))]
[JsonSerializable(typeof(FormatDocument))]
internal sealed partial class FileLedgerJson : JsonSerializerContext;
