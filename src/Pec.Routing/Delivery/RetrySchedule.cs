namespace Pec.Routing.Delivery;

/// <summary>
/// Exponential back-off with jitter: the n-th retry waits between half and all of
/// <c>initial × 2^(n-1)</c>, capped. Jitter spreads the retries of many flows that failed together,
/// so a recipient coming back is not hit by all of them in the same second.
/// </summary>
internal static class RetrySchedule
{
    public static TimeSpan DelayBefore(int retry, TimeSpan initial, TimeSpan max, double random)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(retry, 1);
        var exponent = Math.Min(retry - 1, 30);
        var ceiling = Math.Min(max.TotalMilliseconds, initial.TotalMilliseconds * Math.Pow(2, exponent));
        return TimeSpan.FromMilliseconds(ceiling / 2 + (ceiling / 2 * Math.Clamp(random, 0, 1)));
    }
}
