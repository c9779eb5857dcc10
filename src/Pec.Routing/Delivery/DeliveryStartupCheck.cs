using Npgsql;
using Pec.Routing.Persistence;
using Pec.Signing.HttpSignatures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Pec.Routing.Routing;

namespace Pec.Routing.Delivery;

/// <summary>
/// When the registry names an HTTPS recipient and this host consumes delivery messages, checks at
/// start what push delivery needs from it: a seal key with an RFC 9421 algorithm and a loadable delivery certificate. Otherwise the
/// first push would fail, and its deliveries would look unreachable for days.
/// </summary>
internal sealed class DeliveryStartupCheck(
    NpgsqlDataSource dataSource, IServiceProvider services, PushClients clients, IOptions<RoutingOptions> routingOptions) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // A gateway beside routing processes never pushes, so it needs neither.
        if (!routingOptions.Value.RunConsumers)
        {
            return;
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var pushRecipients = await connection.ScalarAsync<bool>(
            "select exists (select 1 from administrations where delivery_channel = 'https')", null, cancellationToken);
        if (!pushRecipients)
        {
            return;
        }

        try
        {
            _ = services.GetRequiredService<HttpMessageSigner>();
        }
        catch (InvalidOperationException exception)
        {
            throw new InvalidOperationException($"The registry has HTTPS recipients, but the platform seal cannot sign push requests: {exception.Message}");
        }

        clients.CheckClientCertificate();
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
