using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Pec.Routing.Registry;

namespace Pec.Routing.Persistence;

/// <summary>
/// Migrates the schema and loads the registry before anything else starts: it is registered
/// first, and the host starts hosted services one after the other.
/// </summary>
internal sealed class DatabaseStartup(MigrationRunner migrations, RegistryLoader registry, IOptions<DatabaseOptions> options) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.MigrateOnStart)
        {
            await migrations.MigrateAsync(cancellationToken);
        }

        await registry.LoadAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
