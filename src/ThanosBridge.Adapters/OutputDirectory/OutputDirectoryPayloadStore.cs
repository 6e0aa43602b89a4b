using Microsoft.Extensions.Logging;
using ThanosBridge.Core.Delivery;

namespace ThanosBridge.Adapters.OutputDirectory;

/// <summary>
/// Stores payloads as files under THANOS_BRIDGE_OUTPUT_DIR when no S3 is configured: <c>&lt;dir&gt;/&lt;key&gt;</c>, written
/// atomically (temporary file, then rename), with <c>file://</c> download URLs. For trying the bridge out and for
/// inspecting payloads; koku cannot download from it.
/// </summary>
/// <param name="directory">THANOS_BRIDGE_OUTPUT_DIR; created when missing.</param>
/// <param name="logger">Receives EventId 5201.</param>
public sealed class OutputDirectoryPayloadStore(string directory, ILogger<OutputDirectoryPayloadStore> logger) : IPayloadStore
{
    private readonly string root = Path.GetFullPath(directory);

    /// <summary>The absolute output directory.</summary>
    public string RootDirectory => root;

    /// <exception cref="ArgumentException">The key would leave the output directory.</exception>
    /// <exception cref="IOException">The file could not be written.</exception>
    public async Task UploadAsync(string key, byte[] content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        var path = OutputPaths.ForKey(root, key);
        await AtomicFile.WriteAllBytesAsync(path, content, cancellationToken);
        Log.PayloadWritten(logger, key, content.Length, path);
    }

    /// <summary>The <c>file://</c> URL of the key's file.</summary>
    /// <exception cref="ArgumentException">The key would leave the output directory.</exception>
    public Task<Uri> GetDownloadUrlAsync(string key, CancellationToken cancellationToken) =>
        Task.FromResult(new Uri(OutputPaths.ForKey(root, key)));
}
