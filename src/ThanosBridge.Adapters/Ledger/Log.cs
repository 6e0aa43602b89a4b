using Microsoft.Extensions.Logging;
using ThanosBridge.Core.Delivery;
using ThanosBridge.Core.Ledger;

namespace ThanosBridge.Adapters.Ledger;

/// <summary>Log events of the delivery ledger (EventIds 5300–5399). Error texts and connection strings are never logged.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 5301, EventName = "LedgerMigrationApplied", Level = LogLevel.Information,
        Message = "ledger {Storage}: applied migration {Migration}")]
    public static partial void MigrationApplied(ILogger logger, string storage, string migration);

    [LoggerMessage(EventId = 5302, EventName = "LedgerSchemaCurrent", Level = LogLevel.Debug,
        Message = "ledger {Storage} is at migration {Migration}; nothing to migrate")]
    public static partial void SchemaCurrent(ILogger logger, string storage, string migration);

    [LoggerMessage(EventId = 5303, EventName = "LedgerSchemaNewer", Level = LogLevel.Warning,
        Message = "ledger {Storage} is at migration {StoredMigration}, newer than {KnownMigration} of this build; continuing")]
    public static partial void StorageNewer(ILogger logger, string storage, string storedMigration, string knownMigration);

    [LoggerMessage(EventId = 5304, EventName = "LedgerHandWrittenSchemaAdopted", Level = LogLevel.Information,
        Message = "ledger schema {Schema}: the tables of the hand-written migration 1 are kept and recorded as migration {Migration}")]
    public static partial void HandWrittenSchemaAdopted(ILogger logger, string schema, string migration);

    [LoggerMessage(EventId = 5310, EventName = "LedgerSnapshotPackaged", Level = LogLevel.Debug,
        Message = "ledger: snapshot {Uuid} of cluster {ClusterId} day {Day} recorded as packaged ({Hours} hours, {PartCount} parts, {PayloadBytes} bytes, re-send {IsResend})")]
    public static partial void SnapshotPackaged(
        ILogger logger, Guid uuid, string clusterId, DateOnly day, int hours, int partCount, long payloadBytes, bool isResend);

    [LoggerMessage(EventId = 5311, EventName = "LedgerSnapshotMarked", Level = LogLevel.Debug,
        Message = "ledger: snapshot {Uuid} of cluster {ClusterId} day {Day} moved from {FromState} to {ToState}")]
    public static partial void SnapshotMarked(
        ILogger logger, Guid uuid, string clusterId, DateOnly day, SnapshotState fromState, SnapshotState toState);

    [LoggerMessage(EventId = 5312, EventName = "LedgerSnapshotAlreadyPublished", Level = LogLevel.Debug,
        Message = "ledger: snapshot {Uuid} of cluster {ClusterId} day {Day} is already published; nothing changed")]
    public static partial void AlreadyPublished(ILogger logger, Guid uuid, string clusterId, DateOnly day);

    [LoggerMessage(EventId = 5313, EventName = "LedgerPayloadsDropped", Level = LogLevel.Debug,
        Message = "ledger: dropped the payload bytes of {SnapshotCount} older snapshots of cluster {ClusterId} day {Day}")]
    public static partial void PayloadsDropped(ILogger logger, int snapshotCount, string clusterId, DateOnly day);

    [LoggerMessage(EventId = 5314, EventName = "LedgerFailureRecorded", Level = LogLevel.Debug,
        Message = "ledger: failed attempt {FailedAttempts} recorded for cluster {ClusterId} day {Day} (snapshot {Uuid})")]
    public static partial void FailureRecorded(ILogger logger, int failedAttempts, string clusterId, DateOnly day, Guid? uuid);

    [LoggerMessage(EventId = 5305, EventName = "LedgerFileLedgerImported", Level = LogLevel.Information,
        Message = "imported {DayCount} cluster-days and {SnapshotCount} snapshots of the file ledger {Directory} into {Ledger}; the files are kept in {KeptDirectory}")]
    public static partial void FileLedgerImported(ILogger logger, int dayCount, int snapshotCount, string directory, string ledger, string keptDirectory);

    [LoggerMessage(EventId = 5315, EventName = "LedgerKokuStatusesRecorded", Level = LogLevel.Debug,
        Message = "ledger: recorded koku's status of {SnapshotCount} snapshots")]
    public static partial void KokuStatusesRecorded(ILogger logger, int snapshotCount);

    [LoggerMessage(EventId = 5316, EventName = "LedgerSnapshotReannounced", Level = LogLevel.Debug,
        Message = "ledger: snapshot {Uuid} of cluster {ClusterId} day {Day} recorded as announced again")]
    public static partial void SnapshotReannounced(ILogger logger, Guid uuid, string clusterId, DateOnly day);
}
