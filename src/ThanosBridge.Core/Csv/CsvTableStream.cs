namespace ThanosBridge.Core.Csv;

/// <summary>
/// A table's CSV bytes (exactly what <see cref="CsvWriter.Write"/> writes) as a read-only stream rendered row by row, so
/// that packaging copies each CSV into the tar.gz without ever holding the file: the rows are all the memory it takes.
/// Its length is known up front (tar headers carry the size); it can only be rewound to the start.
/// </summary>
public sealed class CsvTableStream : Stream
{
    private readonly CsvRow header;
    private readonly IReadOnlyList<IReadOnlyList<string>> rows;
    private int next = -1;          // -1: the header; rows.Count: the end
    private byte[] pending = [];
    private int pendingOffset;
    private long position;

    public CsvTableStream(CsvTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        header = CsvRow.Of(table.Header);
        rows = table.Rows;
        long length = header.Utf8.Length + 1;
        // koku skips rows with too many fields and pads short ones: a mismatch is a bug, not data.
        void Mismatch(int i, int count) =>
            throw new ArgumentException($"{table.FileName}: row {i} has {count} fields, the header has {header.Count}.", nameof(table));
        if (rows is CompactRows compact)
        {
            // Sizes and field counts were kept as the rows were added: nothing is decompressed here.
            if (compact.IndexOfFieldCountOtherThan(header.Count) is var bad and >= 0)
            {
                Mismatch(bad, compact[bad].Count);
            }

            Length = length + compact.CsvByteCount;
            return;
        }

        for (var i = 0; i < rows.Count; i++)
        {
            if (rows[i].Count != header.Count)
            {
                Mismatch(i, rows[i].Count);
            }

            length += CsvRow.Of(rows[i]).Utf8.Length + 1;
        }

        Length = length;
    }

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length { get; }

    public override long Position
    {
        get => position;
        set => Seek(value, SeekOrigin.Begin);
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var written = 0;
        while (written < buffer.Length)
        {
            if (pendingOffset == pending.Length && !NextRecord())
            {
                break;
            }

            var n = Math.Min(buffer.Length - written, pending.Length - pendingOffset);
            pending.AsSpan(pendingOffset, n).CopyTo(buffer[written..]);
            pendingOffset += n;
            written += n;
        }

        position += written;
        return written;
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        var target = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => position + offset,
            _ => Length + offset,
        };
        if (target == position)
        {
            return position;
        }

        if (target != 0)
        {
            throw new NotSupportedException("a CSV table stream can only be rewound to its start");
        }

        (next, pending, pendingOffset, position) = (-1, [], 0, 0);
        return 0;
    }

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private bool NextRecord()
    {
        if (next >= rows.Count)
        {
            return false;
        }

        var record = next < 0 ? header : CsvRow.Of(rows[next]);
        next++;
        pending = [.. record.Utf8, (byte)'\n'];
        pendingOffset = 0;
        return true;
    }
}
