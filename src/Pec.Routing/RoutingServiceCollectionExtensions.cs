using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using Microsoft.Extensions.Logging;
using Pec.Routing.Audit;
using Pec.Routing.Delivery;
using Pec.Routing.Flows;
using Pec.Routing.Mailbox;
using Pec.Routing.Outbox;
using Pec.Routing.Persistence;
using Pec.Routing.Receipts;
using Pec.Routing.Registry;
using Pec.Routing.Routing;
using Pec.Signing.HttpSignatures;
using Pec.Signing.Seal;

namespace Pec.Routing;

/// <summary>Registers the system of record (PostgreSQL), the outbox relay and the RabbitMQ consumers.</summary>
public static class RoutingServiceCollectionExtensions
{
    public static IServiceCollection AddPecRouting(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.TryAddTimeProvider();
        Faults.CrashPoints.Configure(configuration);

        services.AddOptions<DatabaseOptions>()
            .Bind(configuration.GetSection("Pec:Database"))
            .Configure(o => o.ConnectionString = configuration.GetConnectionString("Postgres") ?? "")
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<RegistryOptions>().Bind(configuration.GetSection("Pec:Registry"));
        services.AddOptions<RoutingOptions>()
            .Bind(configuration.GetSection("Pec:Routing"))
            .Configure(o => o.RabbitMqUri = configuration.GetConnectionString("RabbitMq") ?? "")
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.AddSingleton(sp => new NpgsqlDataSourceBuilder(sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.ConnectionString).Build());
        services.AddSingleton<MigrationRunner>();
        services.AddSingleton<RegistryLoader>();
        services.AddHostedService<DatabaseStartup>();

        services.AddSingleton(sp => new RegistryRepository(sp.GetRequiredService<NpgsqlDataSource>()));
        services.AddSingleton(sp => new AuditLog(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new ReceiptIssuer(sp.GetRequiredService<Pec.Signing.Receipts.ReceiptSigner>(), sp.GetRequiredService<AuditLog>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new RejectionRecorder(sp.GetRequiredService<NpgsqlDataSource>(), sp.GetRequiredService<AuditLog>()));
        services.AddSingleton(sp => new AuditChainVerifier(sp.GetRequiredService<NpgsqlDataSource>()));
        services.AddSingleton(sp => new ReceiptRepository(sp.GetRequiredService<NpgsqlDataSource>()));
        services.AddSingleton<OutboxSignal>();
        services.AddSingleton<OutboxWriter>();
        services.AddSingleton(sp => new OutboxBacklog(
            sp.GetRequiredService<NpgsqlDataSource>(), sp.GetRequiredService<IOptions<RoutingOptions>>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new FlowRepository(
            sp.GetRequiredService<NpgsqlDataSource>(), sp.GetRequiredService<ReceiptIssuer>(), sp.GetRequiredService<AuditLog>(),
            sp.GetRequiredService<OutboxWriter>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new FlowQueries(sp.GetRequiredService<NpgsqlDataSource>()));
        services.AddSingleton(sp => new MailboxRepository(
            sp.GetRequiredService<NpgsqlDataSource>(), sp.GetRequiredService<ReceiptIssuer>(), sp.GetRequiredService<AuditLog>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<DeliveryFailure>()));

        AddDelivery(services, configuration);
        AddMessaging(services);
        services.AddHostedService<OutboxRelay>();
        services.AddHostedService<ReceiptTimestampUpgrader>();
        services.AddHostedService(sp => sp.GetRequiredService<DeliveryScheduler>());
        services.AddMetrics();
        services.AddHostedService<OutboxMetrics>();
        return services;
    }

    private static void AddDelivery(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DeliveryOptions>()
            .Bind(configuration.GetSection("Pec:Delivery"))
            .ValidateDataAnnotations()
            .Validate(o => o.DispatchLease > 2 * o.AttemptTimeout, "Pec:Delivery:DispatchLease must be longer than twice Pec:Delivery:AttemptTimeout (an attempt may take one timeout for the answer and one for the acknowledgement body).")
            .ValidateOnStart();
        services.AddSingleton(sp => new HttpMessageSigner(sp.GetRequiredService<PlatformSeal>()));
        services.AddSingleton<PushClients>();
        services.AddSingleton<RecipientCircuits>();
        services.AddSingleton<IDeliveryChannel, HttpsPushChannel>();
        services.AddSingleton<DeliveryStore>();
        services.AddSingleton<DeliveryFailure>();
        services.AddSingleton<DeliveryRecorder>();
        services.AddSingleton<DeliveryPoison>();
        services.AddSingleton<DeliveryScheduler>();
        services.AddHostedService<DeliveryStartupCheck>();
        services.AddSingleton(sp => new DeadLetterRepository(
            sp.GetRequiredService<NpgsqlDataSource>(), sp.GetRequiredService<AuditLog>(), sp.GetRequiredService<OutboxWriter>(),
            sp.GetRequiredService<IOptions<DeliveryOptions>>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<DeadLetterRepository>>()));
    }

    private static void AddMessaging(IServiceCollection services)
    {
        services.AddMassTransit(bus =>
        {
            bus.AddConsumer<RouteFlowConsumer>();
            bus.AddConsumer<DeliveryConsumer>();
            bus.UsingRabbitMq((context, rabbit) =>
            {
                var routing = context.GetRequiredService<IOptions<RoutingOptions>>().Value;
                var address = RabbitMqAddress.Parse(routing.RabbitMqUri);
                rabbit.Host(address.Host, address.Port, address.VirtualHost, host =>
                {
                    host.Username(address.Username);
                    host.Password(address.Password);
                    host.PublisherConfirmation = true;
                    if (address.UseTls)
                    {
                        host.UseSsl(ssl => ssl.ServerName = address.Host);
                    }
                });

                if (!routing.RunConsumers)
                {
                    return;
                }

                rabbit.ReceiveEndpoint(routing.QueueName, endpoint =>
                {
                    endpoint.SetQuorumQueue();
                    endpoint.SetQueueArgument("x-delivery-limit", routing.DeliveryLimit);
                    endpoint.ConfigureConsumeTopology = false;
                    endpoint.PrefetchCount = routing.PrefetchCount;
                    endpoint.UseMessageRetry(retry => retry.Exponential(5, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(300)));
                    endpoint.ConfigureConsumer<RouteFlowConsumer>(context);
                });

                rabbit.ReceiveEndpoint(routing.DeliveryQueueName, endpoint =>
                {
                    endpoint.SetQuorumQueue();
                    endpoint.SetQueueArgument("x-delivery-limit", routing.DeliveryLimit);
                    endpoint.ConfigureConsumeTopology = false;
                    endpoint.PrefetchCount = routing.DeliveryConcurrency;
                    endpoint.ConcurrentMessageLimit = routing.DeliveryConcurrency;
                    endpoint.UseMessageRetry(retry => retry.Exponential(DeliveryConsumer.MessageRetryLimit, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(300)));
                    endpoint.ConfigureConsumer<DeliveryConsumer>(context);
                });
            });
        });
    }

    private static void TryAddTimeProvider(this IServiceCollection services)
    {
        if (!services.Any(d => d.ServiceType == typeof(TimeProvider)))
        {
            services.AddSingleton(TimeProvider.System);
        }
    }
}
