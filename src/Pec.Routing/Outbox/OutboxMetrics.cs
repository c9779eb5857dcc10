using System.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace Pec.Routing.Outbox;

/// <summary>
/// Publishes the outbox gauges <c>pec.outbox.backlog</c> (rows not yet confirmed by RabbitMQ) and
/// <c>pec.outbox.lag</c> (age of the oldest one, in seconds), read from PostgreSQL at each collection.
/// The meter comes from the host's <see cref="IMeterFactory"/>, so it ends with the host.
/// </summary>
internal sealed class OutboxMetrics(IMeterFactory meterFactory, NpgsqlDataSource dataSource) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var meter = meterFactory.Create(PecMetrics.MeterName);
        meter.CreateObservableGauge("pec.outbox.backlog", () => Read().Select(r => new Measurement<long>(r.Backlog)), "{message}",
            "Outbox rows not yet confirmed by RabbitMQ.");
        meter.CreateObservableGauge("pec.outbox.lag", () => Read().Select(r => new Measurement<double>(r.OldestAgeSeconds)), "s",
            "Age of the oldest outbox row not yet confirmed by RabbitMQ.");
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    // Collection is synchronous; a database that does not answer yields no measurement rather than an error.
    private IEnumerable<(long Backlog, double OldestAgeSeconds)> Read()
    {
        try
        {
            using var command = dataSource.CreateCommand(
                "select count(*), coalesce(extract(epoch from now() - min(created_at)), 0)::float8 from outbox where sent_at is null");
            command.CommandTimeout = 5;
            using var reader = command.ExecuteReader();
            reader.Read();
            return [(reader.GetInt64(0), reader.GetDouble(1))];
        }
        catch (NpgsqlException)
        {
            return [];
        }
    }
}
