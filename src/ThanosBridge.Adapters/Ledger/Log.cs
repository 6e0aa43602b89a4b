using Microsoft.Extensions.Logging;
using ThanosBridge.Core.Delivery;

namespace ThanosBridge.Adapters.Ledger;

/// <summary>Log events of the delivery ledger (EventIds 5300–5399). Error texts and connection strings are never logged.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 5301, EventName = "LedgerMigrationApplied", Level = LogLevel.Information,
        Message = "ledger schema {Schema}: applied migration {Version} ({MigrationName})")]
    public static partial void MigrationApplied(ILogger logger, string schema, int version, string migrationName);

    [LoggerMessage(EventId = 5302, EventName = "LedgerSchemaCurrent", Level = LogLevel.Debug,
        Message = "ledger schema {Schema} is at version {Version}; nothing to migrate")]
    public static partial void SchemaCurrent(ILogger logger, string schema, int version);

    [LoggerMessage(EventId = 5303, EventName = "LedgerSchemaNewer", Level = LogLevel.Warning,
        Message = "ledger storage {Storage} is at version {StoredVersion}, newer than version {KnownVersion} of this build; continuing")]
    public static partial void StorageNewer(ILogger logger, string storage, int storedVersion, int knownVersion);

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

    [LoggerMessage(EventId = 5320, EventName = "FileLedgerReady", Level = LogLevel.Information,
        Message = "file ledger ready under {Directory} (format {Format})")]
    public static partial void FileLedgerReady(ILogger logger, string directory, int format);

    [LoggerMessage(EventId = 5321, EventName = "FileLedgerLockBusy", Level = LogLevel.Information,
        Message = "file ledger: lock {LockFile} is held by another process; waiting up to {Timeout}")]
    public static partial void LockBusy(ILogger logger, string lockFile, TimeSpan timeout);

    [LoggerMessage(EventId = 5322, EventName = "FileLedgerLeftoversRemoved", Level = LogLevel.Information,
        Message = "file ledger: removed {FileCount} files left by an interrupted or superseded write in {Directory}")]
    public static partial void LeftoversRemoved(ILogger logger, int fileCount, string directory);

    [LoggerMessage(EventId = 5323, EventName = "FileLedgerDirectorySyncUnavailable", Level = LogLevel.Warning,
        Message = "file ledger: directories cannot be flushed to disk here ({Reason}); renames stay atomic but a power loss may undo the last one")]
    public static partial void DirectorySyncUnavailable(ILogger logger, string reason);

    [LoggerMessage(EventId = 5324, EventName = "FileLedgerCleanupFailed", Level = LogLevel.Warning,
        Message = "file ledger: could not remove the superseded file {FilePath}; it is retried on the next write of that day")]
    public static partial void CleanupFailed(ILogger logger, string filePath, Exception exception);
}
