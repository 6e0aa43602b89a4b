using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using ThanosBridge.Core.Ledger;

namespace ThanosBridge.Adapters.Ledger;

/// <summary>
/// Moves the file ledger of the releases before the SQLite one (<c>&lt;data dir&gt;/ledger/</c>, format 1) into a new SQLite
/// ledger, row for row: states, hours, attempts, errors, timestamps and the payload bytes still kept, so that an
/// upgrade neither re-sends nor skips an hour. Runs once, while the SQLite ledger holds no cluster-day; the directory is
/// then renamed to <c>ledger.imported</c> and kept (nothing reads it).
/// </summary>
internal static class FileLedgerImport
{
    public const string DirectoryName = "ledger";
    public const string ImportedDirectoryName = "ledger.imported";
    private const int Format = 1;

    public static async Task ImportAsync(LedgerDbContext db, string dataDirectory, string target, ILogger logger, CancellationToken cancellationToken)
    {
        var root = Path.Combine(dataDirectory, DirectoryName);
        var formatPath = Path.Combine(root, "format.json");
        if (!File.Exists(formatPath) || await db.ClusterDays.AnyAsync(cancellationToken))
        {
            return;
        }

        var format = Read(formatPath, FileLedgerJson.Default.FormatDocument).Format;
        if (format != Format)
        {
            throw new InvalidDataException(
                $"The file ledger in {root} has format {format}; this build imports format {Format} only. Start the release that wrote it, " +
                $"or move the directory away to start with an empty ledger (every day in THANOS_BRIDGE_BACKFILL_DAYS is then delivered again).");
        }

        var (days, snapshots) = (0, 0);
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        foreach (var dayFile in Directory.EnumerateFiles(root, "day.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var doc = Read(dayFile, FileLedgerJson.Default.DayDocument);
            var dayDir = Path.GetDirectoryName(dayFile)!;
            if (doc.ClusterId != Path.GetFileName(Path.GetDirectoryName(dayDir)) || doc.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) != Path.GetFileName(dayDir))
            {
                throw new InvalidDataException($"Ledger file {dayFile} describes cluster {doc.ClusterId} day {LedgerRules.Format(doc.Day)}, not its directory.");
            }

            db.ClusterDays.Add(new ClusterDayRow
            {
                ClusterId = doc.ClusterId,
                Day = doc.Day,
                FailedAttempts = doc.FailedAttempts,
                LastError = doc.LastError,
                UpdatedAt = doc.UpdatedAt,
            });
            foreach (var snapshot in doc.Snapshots)
            {
                db.Snapshots.Add(new SnapshotRow
                {
                    Uuid = snapshot.Uuid,
                    ClusterId = doc.ClusterId,
                    Day = doc.Day,
                    Hours = snapshot.Hours,
                    State = LedgerRules.StateName(LedgerRules.ParseState(snapshot.State)),
                    Attempts = snapshot.Attempts,
                    LastError = snapshot.LastError,
                    CreatedAt = snapshot.CreatedAt,
                    UpdatedAt = snapshot.UpdatedAt,
                    PublishedAt = snapshot.PublishedAt,
                });
                for (var i = 0; i < snapshot.Parts.Count; i++)
                {
                    var part = snapshot.Parts[i];
                    db.SnapshotParts.Add(new SnapshotPartRow
                    {
                        Uuid = snapshot.Uuid,
                        Idx = i,
                        FileName = part.FileName,
                        ObjectKey = part.ObjectKey,
                        Content = part.ContentFile is null ? null : await ReadPartAsync(dayDir, part, cancellationToken),
                    });
                }

                snapshots++;
            }

            days++;

            // One day at a time in memory: a day's payloads are what a delivery holds anyway.
            await db.SaveChangesAsync(cancellationToken);
            db.ChangeTracker.Clear();
        }

        await tx.CommitAsync(cancellationToken);
        var kept = Path.Combine(dataDirectory, ImportedDirectoryName);
        Directory.Move(root, kept);
        Log.FileLedgerImported(logger, days, snapshots, root, target, kept);
    }

    private static async Task<byte[]> ReadPartAsync(string dayDir, PartDocument part, CancellationToken cancellationToken)
    {
        var path = Path.Combine(dayDir, Path.GetFileName(part.ContentFile!));
        var bytes = File.Exists(path) ? await File.ReadAllBytesAsync(path, cancellationToken) : null;
        if (bytes is null || bytes.LongLength != part.Length || LedgerRules.Sha256Hex(bytes) != part.Sha256)
        {
            throw new InvalidDataException($"Payload file {path} of the file ledger is missing or does not match its length and SHA-256; nothing was imported.");
        }

        return bytes;
    }

    private static T Read<T>(string path, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
    {
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(path), type) ?? throw new InvalidDataException($"Ledger file {path} is empty (null).");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"Ledger file {path} is not valid: {e.Message}", e);
        }
    }
}
