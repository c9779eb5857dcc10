using Microsoft.Extensions.Options;
using Npgsql;
using Pec.Routing.Persistence;
using Pec.Routing.Routing;

namespace Pec.Routing.Outbox;

/// <summary>
/// Tells the gateway whether the outbox has room for more flows. The count of unsent rows is cached
/// for a short time, so a burst of submissions costs one query, not one each.
/// </summary>
public sealed class OutboxBacklog
{
    private static readonly TimeSpan CacheDuration = TimeSpan.FromMilliseconds(500);

    private readonly NpgsqlDataSource _dataSource;
    private readonly TimeProvider _timeProvider;
    private readonly int _maxBacklog;
    private long _count;
    private DateTimeOffset _countedAt = DateTimeOffset.MinValue;

    internal OutboxBacklog(NpgsqlDataSource dataSource, IOptions<RoutingOptions> options, TimeProvider timeProvider)
    {
        _dataSource = dataSource;
        _timeProvider = timeProvider;
        _maxBacklog = options.Value.MaxOutboxBacklog;
    }

    /// <summary>True when the unsent outbox rows have reached <see cref="RoutingOptions.MaxOutboxBacklog"/>.</summary>
    public async Task<bool> IsFullAsync(CancellationToken cancellationToken)
    {
        var now = _timeProvider.GetUtcNow();
        if (now - _countedAt > CacheDuration)
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
            _count = await connection.ScalarAsync<long>("select count(*) from outbox where sent_at is null", null, cancellationToken);
            _countedAt = now;
        }

        return _count >= _maxBacklog;
    }
}
