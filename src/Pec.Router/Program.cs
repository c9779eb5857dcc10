using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Pec.Adapters;
using Pec.Adapters.Payloads;
using Pec.Routing.Delivery;
using Pec.Routing.Persistence;
using Pec.Routing.Routing;
using Pec.Signing.Timestamping;
using Pec.Routing;
using Pec.Signing.Seal;

// The routing process: consumes routing and delivery messages, runs the delivery scheduler and
// relays the outbox. Several can run side by side with gateways started with
// Pec:Routing:RunConsumers=false; every piece of work is claimed in PostgreSQL.
var builder = Host.CreateApplicationBuilder(args);
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddPecSigning(builder.Configuration);
builder.Services.AddPecPayloadStore(builder.Configuration);
builder.Services.AddPecRouting(builder.Configuration);

// Exporters: "none" (default), "console" or "otlp" (OTEL_EXPORTER_OTLP_* variables set the endpoint).
var exporter = builder.Configuration["Pec:Telemetry:Exporter"] ?? "none";
builder.Services.AddOpenTelemetry()
    .ConfigureResource(resource => resource.AddService("pec-router"))
    .WithTracing(tracing =>
    {
        tracing.AddSource(PecActivitySources.All);
        _ = exporter switch
        {
            "console" => tracing.AddConsoleExporter(),
            "otlp" => tracing.AddOtlpExporter(),
            _ => tracing,
        };
    })
    .WithMetrics(metrics =>
    {
        metrics.AddMeter("MassTransit", PecMetrics.MeterName);

        // A router has no HTTP API; Prometheus scrapes it at http://127.0.0.1:<port>/metrics
        // when Pec:Telemetry:PrometheusPort is set.
        if (int.TryParse(builder.Configuration["Pec:Telemetry:PrometheusPort"], System.Globalization.CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65536)
        {
            metrics.AddPrometheusHttpListener(options =>
            {
                options.Host = "127.0.0.1";
                options.Port = port;
            });
        }

        _ = exporter switch
        {
            "console" => metrics.AddConsoleExporter(),
            "otlp" => metrics.AddOtlpExporter(),
            _ => metrics,
        };
    });

try
{
    using var host = builder.Build();

    // Options are checked before the host starts, so that a mistake reads as a list, not as a
    // host start failure with a stack trace.
    var failures = ValidateOptions(host.Services,
        typeof(PlatformSealOptions), typeof(PayloadStoreOptions), typeof(DatabaseOptions),
        typeof(RoutingOptions), typeof(DeliveryOptions), typeof(TimestampingOptions));
    if (failures.Count > 0)
    {
        throw new OptionsValidationException("Pec", typeof(object), failures);
    }

    await host.RunAsync();
    return 0;
}
catch (Exception exception) when (IsConfigurationError(exception))
{
    // A configuration mistake is reported as the list of what to fix, without a stack trace.
    await Console.Error.WriteLineAsync("PEC router cannot start; fix the configuration:");
    foreach (var message in Messages(exception))
    {
        await Console.Error.WriteLineAsync($"- {message}");
    }

    return 2;
}

// Same rules as the gateway's: failed options, and the start checks' InvalidOperationException
// (a seal, certificate or registry file that cannot be used).
static bool IsConfigurationError(Exception exception) => exception switch
{
    OptionsValidationException => true,
    AggregateException aggregate => aggregate.InnerExceptions.All(IsConfigurationError),
    InvalidOperationException { InnerException: null or IOException or System.Security.Cryptography.CryptographicException } => true,
    _ => false,
};

static List<string> ValidateOptions(IServiceProvider services, params Type[] optionTypes)
{
    var failures = new List<string>();
    foreach (var type in optionTypes)
    {
        try
        {
            var options = services.GetRequiredService(typeof(IOptions<>).MakeGenericType(type));
            _ = options.GetType().GetProperty(nameof(IOptions<object>.Value))!.GetValue(options);
        }
        catch (System.Reflection.TargetInvocationException exception) when (exception.InnerException is OptionsValidationException validation)
        {
            failures.AddRange(validation.Failures);
        }
    }

    return failures;
}

static IEnumerable<string> Messages(Exception exception) => exception switch
{
    OptionsValidationException validation => validation.Failures,
    AggregateException aggregate => aggregate.InnerExceptions.SelectMany(Messages),
    _ => [exception.Message],
};
