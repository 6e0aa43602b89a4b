using System.Buffers;
using System.Collections;
using System.IO.Compression;

namespace ThanosBridge.Core.Csv;

/// <summary>
/// A table's rows kept as deflated CSV text in blocks of about <see cref="BlockBytes"/>, appended in order and read back
/// in order (random access decompresses one block). A 2,000-pod cluster-day's ~75,000 rows are ~50 MB of CSV text and
/// ~5 MB here, so the memory of a run stays near what it is collecting rather than what it has built (docs/operations.md,
/// Sizing). Packaging reads the rows once, in order, straight into the tar.gz. Not thread-safe (a table is built and
/// read by one thread at a time).
/// </summary>
public sealed class CompactRows : IReadOnlyList<IReadOnlyList<string>>
{
    /// <summary>Uncompressed bytes per block: large enough to compress well, small enough to decompress per access.</summary>
    public const int BlockBytes = 256 * 1024;

    private readonly List<Block> blocks = [];
    private readonly List<RowShape> open = [];
    private readonly ArrayBufferWriter<byte> openText = new();
    private (int Index, byte[] Text, int[] Starts)? cached;

    public int Count { get; private set; }

    /// <summary>The rows' CSV bytes with their line ends: what packaging writes, known without decompressing.</summary>
    public long CsvByteCount { get; private set; }

    public IReadOnlyList<string> this[int index] => RowAt(index);

    public void Add(IReadOnlyList<string> row)
    {
        var csv = CsvRow.Of(row);
        openText.Write(csv.Utf8);
        open.Add(new RowShape(csv.Utf8.Length, csv.Count, csv.JoinedByteCount));
        Count++;
        CsvByteCount += csv.Utf8.Length + 1;
        if (openText.WrittenCount >= BlockBytes)
        {
            Seal();
        }
    }

    public void AddRange(IEnumerable<IReadOnlyList<string>> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        foreach (var row in rows)
        {
            Add(row);
        }
    }

    /// <summary>The first row whose field count is not <paramref name="count"/> (−1: none), found without decompressing.</summary>
    public int IndexOfFieldCountOtherThan(int count)
    {
        var index = 0;
        foreach (var shape in blocks.SelectMany(b => b.Shapes).Concat(open))
        {
            if (shape.Count != count)
            {
                return index;
            }

            index++;
        }

        return -1;
    }

    /// <summary>The row at <paramref name="index"/>, as the <see cref="CsvRow"/> it was added as.</summary>
    public CsvRow RowAt(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        var sealedRows = blocks.Count == 0 ? 0 : blocks[^1].First + blocks[^1].Shapes.Length;
        if (index < sealedRows)
        {
            // Rows are read in order: the block of the last read is the first guess.
            var b = cached is { } c && index >= blocks[c.Index].First && index < blocks[c.Index].First + blocks[c.Index].Shapes.Length
                ? c.Index
                : blocks.FindLastIndex(x => x.First <= index);
            var (text, starts) = Decompressed(b);
            var shape = blocks[b].Shapes[index - blocks[b].First];
            return CsvRow.FromUtf8(text.AsSpan(starts[index - blocks[b].First], shape.Length).ToArray(), shape.Count, shape.Joined);
        }

        var first = sealedRows;
        var open = this.open[index - first];
        var offset = 0;
        for (var i = 0; i < index - first; i++)
        {
            offset += this.open[i].Length;
        }

        return CsvRow.FromUtf8(openText.WrittenSpan.Slice(offset, open.Length).ToArray(), open.Count, open.Joined);
    }

    public IEnumerator<IReadOnlyList<string>> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return RowAt(i);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private (byte[] Text, int[] Starts) Decompressed(int block)
    {
        if (cached is { } c && c.Index == block)
        {
            return (c.Text, c.Starts);
        }

        var shapes = blocks[block].Shapes;
        var text = new byte[shapes.Sum(s => s.Length)];
        using (var inflate = new DeflateStream(new MemoryStream(blocks[block].Deflated), CompressionMode.Decompress))
        {
            inflate.ReadExactly(text);
        }

        var starts = new int[shapes.Length];
        for (var i = 1; i < shapes.Length; i++)
        {
            starts[i] = starts[i - 1] + shapes[i - 1].Length;
        }

        cached = (block, text, starts);
        return (text, starts);
    }

    private void Seal()
    {
        using var deflated = new MemoryStream();
        using (var deflate = new DeflateStream(deflated, CompressionLevel.Fastest, leaveOpen: true))
        {
            deflate.Write(openText.WrittenSpan);
        }

        blocks.Add(new Block(Count - open.Count, deflated.ToArray(), [.. open]));
        open.Clear();
        openText.ResetWrittenCount();
    }

    private readonly record struct RowShape(int Length, int Count, int Joined);

    /// <param name="First">The index of the block's first row.</param>
    private sealed record Block(int First, byte[] Deflated, RowShape[] Shapes);
}
