using System.Buffers;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace Pec.Adapters.Payloads;

/// <summary>
/// Stores payloads once each, named by their SHA-256, under <c>sha256/ab/cd/abcd…</c>.
/// A payload is streamed to a temporary file, flushed to disk, then renamed into place, so a
/// reader never sees a partial file and a crash leaves at most an orphan temporary file.
/// </summary>
public sealed class PayloadStore
{
    private readonly string _root;
    private readonly string _temporaryDirectory;
    private readonly int _bufferSize;

    public PayloadStore(IOptions<PayloadStoreOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _root = Path.GetFullPath(options.Value.Directory);
        _temporaryDirectory = Path.Combine(_root, "tmp");
        _bufferSize = options.Value.BufferSize;
        System.IO.Directory.CreateDirectory(Path.Combine(_root, "sha256"));
        System.IO.Directory.CreateDirectory(_temporaryDirectory);
    }

    /// <summary>
    /// Copies <paramref name="source"/> into the store while hashing it. Throws
    /// <see cref="PayloadTooLargeException"/> as soon as more than <paramref name="maxBytes"/> arrive.
    /// </summary>
    public async Task<StoredPayload> WriteAsync(Stream source, long maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        var temporaryPath = Path.Combine(_temporaryDirectory, Guid.NewGuid().ToString("N"));
        try
        {
            var (hash, size) = await CopyAndHashAsync(source, temporaryPath, maxBytes, cancellationToken);
            var finalPath = PathFor(hash);
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(finalPath)!);

            // Same hash, same bytes: an existing file is already the payload.
            if (File.Exists(finalPath))
            {
                File.Delete(temporaryPath);
            }
            else
            {
                File.Move(temporaryPath, finalPath, overwrite: true);
            }

            return new StoredPayload(hash, size);
        }
        catch (IOException exception)
        {
            TryDelete(temporaryPath);
            throw new PayloadStoreException($"Failed to store a payload under '{_root}'.", exception);
        }
        catch
        {
            TryDelete(temporaryPath);
            throw;
        }
    }

    /// <summary>Opens a stored payload for reading, or returns null when the store does not have it.</summary>
    public FileStream? OpenRead(string sha256Hex)
    {
        var path = PathFor(sha256Hex);
        if (!File.Exists(path))
        {
            return null;
        }

        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, _bufferSize, FileOptions.Asynchronous | FileOptions.SequentialScan);
    }

    /// <summary>Hashes a stored payload again and returns whether it still matches its name.</summary>
    public async Task<bool> VerifyAsync(string sha256Hex, CancellationToken cancellationToken)
    {
        await using var stream = OpenRead(sha256Hex);
        if (stream is null)
        {
            return false;
        }

        var actual = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
        return string.Equals(actual, sha256Hex, StringComparison.Ordinal);
    }

    private async Task<(string Hash, long Size)> CopyAndHashAsync(Stream source, string temporaryPath, long maxBytes, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(_bufferSize);
        long size = 0;
        try
        {
            await using var target = new FileStream(temporaryPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, _bufferSize, FileOptions.Asynchronous);
            int read;
            while ((read = await ReadSourceAsync(source, buffer, cancellationToken)) > 0)
            {
                size += read;
                if (size > maxBytes)
                {
                    throw new PayloadTooLargeException(maxBytes);
                }

                hash.AppendData(buffer, 0, read);
                await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }

            // The deposit receipt promises the bytes are kept: they must be on disk before it is signed.
            target.Flush(flushToDisk: true);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return (Convert.ToHexStringLower(hash.GetHashAndReset()), size);
    }

    // A failed read is the sender's doing, not the store's: it gets its own exception type, so that
    // callers return 400 rather than report a storage fault. Cancellation passes through untouched.
    private async Task<int> ReadSourceAsync(Stream source, byte[] buffer, CancellationToken cancellationToken)
    {
        try
        {
            return await source.ReadAsync(buffer.AsMemory(0, _bufferSize), cancellationToken);
        }
        catch (IOException exception)
        {
            throw new PayloadSourceException("Reading the payload from the request failed.", exception);
        }
    }

    private string PathFor(string sha256Hex)
    {
        if (sha256Hex.Length != 64 || !sha256Hex.All(char.IsAsciiHexDigitLower))
        {
            throw new ArgumentException($"'{sha256Hex}' is not a lowercase hex SHA-256.", nameof(sha256Hex));
        }

        return Path.Combine(_root, "sha256", sha256Hex[..2], sha256Hex[2..4], sha256Hex);
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // An orphan temporary file is harmless; it is never read.
        }
    }
}
