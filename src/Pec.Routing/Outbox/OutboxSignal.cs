namespace Pec.Routing.Outbox;

/// <summary>
/// Wakes the outbox relay of this process right after a commit. Rows committed by other
/// processes are found by the relay's periodic poll instead.
/// </summary>
internal sealed class OutboxSignal : IDisposable
{
    private readonly SemaphoreSlim _semaphore = new(0, 1);

    public void Release()
    {
        try
        {
            _semaphore.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled: the relay will see every committed row on its next pass.
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        _semaphore.WaitAsync(timeout, cancellationToken);

    public void Dispose() => _semaphore.Dispose();
}
