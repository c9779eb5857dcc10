using System.ComponentModel.DataAnnotations;

namespace Pec.Routing.Routing;

/// <summary>Settings of the routing core, bound from <c>Pec:Routing</c>; the broker URI comes from <c>ConnectionStrings:RabbitMq</c>.</summary>
public sealed class RoutingOptions
{
    /// <summary>AMQP URI of RabbitMQ, such as <c>amqp://user:password@127.0.0.1:5672/vhost</c>. Required.</summary>
    [Required(ErrorMessage = "ConnectionStrings:RabbitMq is required (the AMQP URI of RabbitMQ).")]
    public string RabbitMqUri { get; set; } = "";

    /// <summary>Name of the quorum queue the routing consumer reads. Default <c>pec.routing</c>.</summary>
    [Required]
    public string QueueName { get; set; } = "pec.routing";

    /// <summary>Name of the quorum queue the delivery consumer reads: the routing queue's name followed by <c>.delivery</c>.</summary>
    public string DeliveryQueueName => QueueName + ".delivery";

    /// <summary>Push attempts one process runs at the same time. Default 8.</summary>
    [Range(1, 256)]
    public int DeliveryConcurrency { get; set; } = 8;

    /// <summary>
    /// Whether this process consumes routing and delivery messages and runs the delivery scheduler.
    /// A gateway deployed beside separate routing processes sets it to false. Default true.
    /// </summary>
    public bool RunConsumers { get; set; } = true;

    /// <summary>Messages the routing consumer may hold unacknowledged. Default 16.</summary>
    [Range(1, 1000)]
    public int PrefetchCount { get; set; } = 16;

    /// <summary>Deliveries of one message after which RabbitMQ dead-letters it (quorum queue <c>x-delivery-limit</c>). Default 20.</summary>
    [Range(1, 1000)]
    public int DeliveryLimit { get; set; } = 20;

    /// <summary>How often the outbox relay looks for rows committed by other processes. Default 1 second.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00")]
    public TimeSpan OutboxPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Outbox rows relayed per transaction. Default 100.</summary>
    [Range(1, 10000)]
    public int OutboxBatchSize { get; set; } = 100;

    /// <summary>
    /// Unsent outbox rows beyond which the gateway stops accepting flows and returns 503 with
    /// Retry-After, so that a broker outage fills PostgreSQL only up to a known bound. Default 100,000.
    /// </summary>
    [Range(1, int.MaxValue)]
    public int MaxOutboxBacklog { get; set; } = 100_000;

    /// <summary>How long one publish may wait for the broker's confirm before the relay backs off. Default 10 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
