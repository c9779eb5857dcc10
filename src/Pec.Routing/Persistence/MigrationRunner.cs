using System.Reflection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Pec.Routing.Persistence;

/// <summary>
/// Applies the embedded <c>Migrations/NNNN_name.sql</c> scripts in order, each in its own
/// transaction, under an advisory lock so that several processes starting together apply each once.
/// </summary>
internal sealed class MigrationRunner(NpgsqlDataSource dataSource, TimeProvider timeProvider, ILogger<MigrationRunner> logger)
{
    // Arbitrary constant shared by every PEC process: the advisory lock key of the migrations.
    private const long MigrationLockKey = 0x5045_4301;

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync("select pg_advisory_lock(@key)", null, cancellationToken, ("key", MigrationLockKey));
        try
        {
            await connection.ExecuteAsync(
                "create table if not exists schema_migrations (version text primary key, applied_at timestamptz not null)", null, cancellationToken);
            var applied = (await connection.QueryAsync("select version from schema_migrations", null, r => r.GetString(0), cancellationToken))
                .ToHashSet(StringComparer.Ordinal);

            foreach (var (version, sql) in LoadScripts())
            {
                if (applied.Contains(version))
                {
                    continue;
                }

                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await connection.ExecuteAsync(sql, transaction, cancellationToken);
                await connection.ExecuteAsync(
                    "insert into schema_migrations (version, applied_at) values (@version, @at)", transaction, cancellationToken,
                    ("version", version), ("at", timeProvider.GetUtcNow()));
                await transaction.CommitAsync(cancellationToken);
                Log.MigrationApplied(logger, version);
            }
        }
        finally
        {
            await connection.ExecuteAsync("select pg_advisory_unlock(@key)", null, CancellationToken.None, ("key", MigrationLockKey));
        }
    }

    private static IEnumerable<(string Version, string Sql)> LoadScripts()
    {
        var assembly = Assembly.GetExecutingAssembly();
        const string prefix = "Pec.Routing.Persistence.Migrations.";
        var names = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);
        foreach (var name in names)
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            yield return (name[prefix.Length..^".sql".Length], reader.ReadToEnd());
        }
    }
}
