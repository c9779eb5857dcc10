using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Pec.Adapters.Payloads;

namespace Pec.Adapters.Tests.Payloads;

public sealed class PayloadStoreTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("pec-payload-store-").FullName;

    [Fact]
    public async Task Write_StoresUnderItsSha256()
    {
        var store = CreateSut();
        var bytes = "<demande/>"u8.ToArray();

        var stored = await store.WriteAsync(new MemoryStream(bytes), 1024, CancellationToken.None);

        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        Assert.Equal(sha, stored.Sha256Hex);
        Assert.Equal(bytes.Length, stored.Size);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(Path.Combine(_root, "sha256", sha[..2], sha[2..4], sha)));
    }

    [Fact]
    public async Task Write_SameContentTwice_KeepsOneFile()
    {
        var store = CreateSut();

        await store.WriteAsync(new MemoryStream([1, 2, 3]), 1024, CancellationToken.None);
        await store.WriteAsync(new MemoryStream([1, 2, 3]), 1024, CancellationToken.None);

        Assert.Single(Directory.EnumerateFiles(Path.Combine(_root, "sha256"), "*", SearchOption.AllDirectories));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_root, "tmp")));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(10, 10)]
    [InlineData(100_000, 100_000)]
    public async Task Write_AtLimit_Succeeds(int size, long limit)
    {
        var store = CreateSut();

        var stored = await store.WriteAsync(new MemoryStream(new byte[size]), limit, CancellationToken.None);

        Assert.Equal(size, stored.Size);
    }

    [Theory]
    [InlineData(11, 10)]
    [InlineData(100_001, 100_000)]
    public async Task Write_OverLimit_ThrowsAndLeavesNothing(int size, long limit)
    {
        var store = CreateSut();

        await Assert.ThrowsAsync<PayloadTooLargeException>(() => store.WriteAsync(new MemoryStream(new byte[size]), limit, CancellationToken.None));

        Assert.Empty(Directory.EnumerateFiles(_root, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Verify_DetectsAlteredFile()
    {
        var store = CreateSut();
        var stored = await store.WriteAsync(new MemoryStream("original"u8.ToArray()), 1024, CancellationToken.None);
        var sha = stored.Sha256Hex;
        Assert.True(await store.VerifyAsync(sha, CancellationToken.None));

        await File.WriteAllTextAsync(Path.Combine(_root, "sha256", sha[..2], sha[2..4], sha), "altered");

        Assert.False(await store.VerifyAsync(sha, CancellationToken.None));
    }

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("ABCDEF")]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000000/..")]
    public void OpenRead_RejectsNonHashNames(string name)
    {
        var store = CreateSut();

        Assert.Throws<ArgumentException>(() => store.OpenRead(name));
    }

    [Fact]
    public void OpenRead_UnknownHash_ReturnsNull()
    {
        Assert.Null(CreateSut().OpenRead(new string('0', 64)));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private PayloadStore CreateSut() => new(Options.Create(new PayloadStoreOptions { Directory = _root }));
}
