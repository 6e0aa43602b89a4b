using Microsoft.Extensions.Logging.Testing;
using ThanosBridge.TestSupport.Logging;
using ThanosBridge.Adapters.OutputDirectory;

namespace ThanosBridge.Adapters.Tests.OutputDirectory;

public sealed class OutputDirectoryPayloadStoreTests : IDisposable
{
    private const string Key = "thanos-bridge/a1f0c3d2-5b6e-4c7a-8d9e-0f1a2b3c4d01/2026-11-20/6f1c2d3e.tar.gz";

    private readonly string directory = Directory.CreateTempSubdirectory("bridge-out-").FullName;
    private readonly FakeLogger<OutputDirectoryPayloadStore> logger = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public async Task UploadAsync_NestedKey_WritesTheBytesUnderTheKeyPath()
    {
        var content = new byte[] { 0x1f, 0x8b, 8, 0, 1, 2, 3 };

        await CreateSut().UploadAsync(Key, content, Ct);

        var path = Path.Combine(directory, "thanos-bridge", "a1f0c3d2-5b6e-4c7a-8d9e-0f1a2b3c4d01", "2026-11-20", "6f1c2d3e.tar.gz");
        (await File.ReadAllBytesAsync(path, Ct)).ShouldBe(content);
        var entry = logger.Entries().ShouldHaveSingleItem();
        entry.EventId.ShouldBe(5201);
        entry.Message.ShouldBe($"payload {Key} (7 bytes) written to {path}");
    }

    [Fact]
    public async Task UploadAsync_ExistingFile_ReplacedAndNoTemporaryFileLeft()
    {
        var sut = CreateSut();
        await sut.UploadAsync(Key, [1, 2, 3, 4, 5], Ct);

        await sut.UploadAsync(Key, [9], Ct);

        var file = Path.Combine(directory, Key);
        (await File.ReadAllBytesAsync(file, Ct)).ShouldBe([(byte)9]);
        Directory.GetFiles(directory, "*", SearchOption.AllDirectories).ShouldBe([file]);
    }

    [Fact]
    public async Task GetDownloadUrlAsync_Key_FileUrlOfTheWrittenFile()
    {
        var sut = CreateSut();
        await sut.UploadAsync(Key, [42], Ct);

        var url = await sut.GetDownloadUrlAsync(Key, Ct);

        url.Scheme.ShouldBe("file");
        url.LocalPath.ShouldBe(Path.Combine(directory, Key));
        (await File.ReadAllBytesAsync(url.LocalPath, Ct)).ShouldBe([(byte)42]);
    }

    [Fact]
    public async Task UploadAsync_RelativeDirectory_ResolvedToAbsolute()
    {
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, directory);
        var sut = new OutputDirectoryPayloadStore(relative, logger);

        await sut.UploadAsync("x.tar.gz", [1], Ct);

        sut.RootDirectory.ShouldBe(directory);
        File.Exists(Path.Combine(directory, "x.tar.gz")).ShouldBeTrue();
    }

    [Theory]
    [InlineData("../escape.tar.gz")]
    [InlineData("a/../../escape.tar.gz")]
    [InlineData("/etc/escape.tar.gz")]
    [InlineData("a//b.tar.gz")]
    [InlineData("a/./b.tar.gz")]
    [InlineData("a\\..\\b.tar.gz")]
    public async Task UploadAsync_KeyLeavingTheDirectory_Refused(string key)
    {
        var ex = await Should.ThrowAsync<ArgumentException>(() => CreateSut().UploadAsync(key, [1], Ct));

        ex.Message.ShouldContain($"object key \"{key}\"");
        Directory.GetFileSystemEntries(directory).ShouldBeEmpty();
    }

    private OutputDirectoryPayloadStore CreateSut() => new(directory, logger);
}
