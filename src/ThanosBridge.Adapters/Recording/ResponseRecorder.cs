using ThanosBridge.Adapters.OutputDirectory;
using ThanosBridge.Adapters.Thanos;

namespace ThanosBridge.Adapters.Recording;

/// <summary>
/// Records Thanos's answers for <c>replay</c> (<see cref="RecordedQueryExecutor"/>): the <c>query_range</c> response body
/// of each query byte for byte as it arrived (after HTTP content decoding), copied while the body is parsed, to
/// <c>&lt;directory&gt;/&lt;query name&gt;.json</c>.
/// </summary>
public sealed class ResponseRecorder(string directory)
{
    public static string PathFor(string directory, string queryName) => Path.Combine(directory, queryName + ".json");

    /// <summary>
    /// Starts the recording of one query. An earlier recording of the same query in the directory is removed first, so
    /// that a query that fails leaves no file rather than another run's answer.
    /// </summary>
    public RecordedResponse Begin(string queryName)
    {
        ArgumentException.ThrowIfNullOrEmpty(queryName);
        Directory.CreateDirectory(directory);
        var path = PathFor(directory, queryName);
        File.Delete(path);
        return new RecordedResponse(path);
    }
}

/// <summary>
/// The recording of one query's response body. Each attempt's body goes to a temporary file next to the target, emptied
/// when a retried attempt starts over (<see cref="Restart"/>); the file becomes <c>&lt;query name&gt;.json</c> only on
/// <see cref="CommitAsync"/>, once the whole answer has been read and accepted. Disposed uncommitted, it is deleted: a
/// query that failed never leaves a partial body that <c>replay</c> would take for a complete one.
/// </summary>
public sealed class RecordedResponse : IResponseBodyCopy, IAsyncDisposable
{
    private readonly string path;
    private readonly string partialPath;
    private FileStream? file;
    private bool committed;

    internal RecordedResponse(string path)
    {
        this.path = path;
        partialPath = AtomicFile.TemporaryPathFor(path);
    }

    public Stream Restart()
    {
        ObjectDisposedException.ThrowIf(committed, this);
        if (file is null)
        {
            file = new FileStream(partialPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 16 * 1024, FileOptions.Asynchronous);
        }
        else
        {
            file.SetLength(0);
            file.Position = 0;
        }

        return file;
    }

    /// <summary>Keeps the body of the last attempt as the query's recording.</summary>
    /// <exception cref="InvalidOperationException">No attempt reached the body.</exception>
    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        var body = file ?? throw new InvalidOperationException($"no response body was recorded for {path}");
        await body.FlushAsync(cancellationToken);
        await body.DisposeAsync();
        file = null;
        File.Move(partialPath, path, overwrite: true);
        committed = true;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (file is not null)
            {
                await file.DisposeAsync();
                file = null;
            }
        }
        finally
        {
            if (!committed)
            {
                File.Delete(partialPath);
            }
        }
    }
}
