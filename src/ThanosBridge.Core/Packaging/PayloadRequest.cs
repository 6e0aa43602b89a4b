using ThanosBridge.Core.Csv;
using ThanosBridge.Core.Discovery;

namespace ThanosBridge.Core.Packaging;

/// <summary>Everything <see cref="PayloadPackager"/> needs to build one cluster-day payload (Bridge decision b).</summary>
public sealed record PayloadRequest
{
    /// <summary>CMMO's default and koku's ceiling for one part (cmmo-output.md §4.2).</summary>
    public const int DefaultMaxSizeMegabytes = 100;

    public required ClusterId ClusterId { get; init; }

    /// <summary>Must be a version-4 UUID (koku rejects other versions). New per snapshot, reused on re-send.</summary>
    public required Guid Uuid { get; init; }

    /// <summary>The manifest <c>date</c>; its whole seconds are also the tar members' mtime.</summary>
    public required DateTimeOffset PackagingTime { get; init; }

    /// <summary>00:00:00 UTC of the payload's day.</summary>
    public required DateTimeOffset Start { get; init; }

    /// <summary><c>HH:59:59</c> of the last hour included, same UTC day as <see cref="Start"/>.</summary>
    public required DateTimeOffset End { get; init; }

    /// <summary>The six cost CSVs (always, header-only ones included) and the ROS CSVs that were produced.</summary>
    public required IReadOnlyList<CsvTable> Tables { get; init; }

    /// <summary>Split threshold in MiB, 1–100 (CMMO's <c>max_size_MB</c>).</summary>
    public int MaxSizeMegabytes { get; init; } = DefaultMaxSizeMegabytes;

    public CrStatusInputs CrStatus { get; init; } = new();
}

/// <summary>One <c>.tar.gz</c> to upload.</summary>
/// <param name="FileName"><c>&lt;uuid&gt;.tar.gz</c>, or <c>&lt;uuid&gt;-&lt;idx&gt;.tar.gz</c> per part when split.</param>
/// <param name="Content">The gzip bytes.</param>
public sealed record PackedPayload(string FileName, byte[] Content);

/// <summary>The packager's output: the tarballs in index order and the manifest every one of them holds.</summary>
/// <param name="IsSplit">True when each CSV went into its own tarball because of the size limit (cmmo-output.md §4.3).</param>
public sealed record PackagingResult(IReadOnlyList<PackedPayload> Payloads, Manifest Manifest, bool IsSplit);
