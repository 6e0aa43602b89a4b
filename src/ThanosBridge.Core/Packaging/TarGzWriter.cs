using System.Formats.Tar;
using System.IO.Compression;

namespace ThanosBridge.Core.Packaging;

/// <summary>
/// Writes a flat tar.gz the way CMMO does (cmmo-output.md §4.4): USTAR headers, regular files only, mode 0644,
/// uid/gid 0, empty uname/gname, gzip header <c>1f 8b 08 00 00000000 00 ff</c>.
/// .NET's <see cref="TarWriter"/> ends the archive with the two zero blocks and no 10240-byte record padding,
/// like Go's archive/tar.
/// </summary>
internal static class TarGzWriter
{
    private const UnixFileMode Mode0644 =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    // USTAR's name field; longer names would be split into prefix + name, i.e. look like a path.
    private const int MaxUstarName = 100;

    /// <summary>The tar.gz of <paramref name="members"/>; each content stream is read once, straight into the compressor.</summary>
    public static byte[] Write(IEnumerable<(string Name, Func<Stream> Open)> members, DateTimeOffset modificationTime)
    {
        // Whole seconds: tar stores seconds, and truncating here keeps the output independent of sub-second input.
        var mtime = new DateTimeOffset(
            modificationTime.UtcTicks - (modificationTime.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);

        using var gzip = new MemoryStream();
        using (var compressor = new GZipStream(gzip, CompressionLevel.Optimal, leaveOpen: true))
        using (var writer = new TarWriter(compressor, TarEntryFormat.Ustar, leaveOpen: true))
        {
            foreach (var (name, open) in members)
            {
                if (name.Length > MaxUstarName || name.Contains('/', StringComparison.Ordinal))
                {
                    throw new ArgumentException($"Tar member name '{name}' must be a flat name of at most {MaxUstarName} characters.", nameof(members));
                }

                using var data = open();
                var entry = new UstarTarEntry(TarEntryType.RegularFile, name)
                {
                    Mode = Mode0644,
                    Uid = 0,
                    Gid = 0,
                    UserName = string.Empty,
                    GroupName = string.Empty,
                    ModificationTime = mtime,
                    DataStream = data,
                };
                writer.WriteEntry(entry);
            }
        }

        var bytes = gzip.ToArray();
        if (bytes[3] != 0 || bytes[4] != 0 || bytes[5] != 0 || bytes[6] != 0 || bytes[7] != 0)
        {
            // Guards the assumption below: no optional header fields (name, comment, extra) and MTIME 0.
            throw new InvalidOperationException("GZipStream wrote an unexpected gzip header.");
        }

        // .NET writes XFL/OS per level and platform (e.g. 00 03); Go writes XFL 0 and OS 255 ("unknown"). The gzip
        // CRC covers only the data, so patching the header keeps the stream valid.
        bytes[8] = 0x00;
        bytes[9] = 0xFF;
        return bytes;
    }

    /// <summary>The tar.gz of members given as bytes.</summary>
    public static byte[] Write(IEnumerable<(string Name, byte[] Content)> members, DateTimeOffset modificationTime) =>
        Write(members.Select(m => (m.Name, (Func<Stream>)(() => new MemoryStream(m.Content, writable: false)))), modificationTime);
}
