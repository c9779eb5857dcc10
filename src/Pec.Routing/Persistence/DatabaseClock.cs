namespace Pec.Routing.Persistence;

/// <summary>
/// Current time at PostgreSQL's precision. <c>timestamptz</c> keeps microseconds, so a value
/// written with .NET's 100 ns ticks would read back different from what the API first returned.
/// </summary>
internal static class DatabaseClock
{
    public static DateTimeOffset Now(this TimeProvider timeProvider)
    {
        var now = timeProvider.GetUtcNow();
        return now.AddTicks(-(now.Ticks % 10));
    }
}
