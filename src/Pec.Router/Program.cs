using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Pec.Adapters;
using Pec.Adapters.Payloads;
using Pec.Routing.Delivery;
using Pec.Routing.Hosting;
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
    StartupErrors.ValidateAll(host.Services, [
        typeof(PlatformSealOptions), typeof(PayloadStoreOptions), typeof(DatabaseOptions),
        typeof(RoutingOptions), typeof(DeliveryOptions), typeof(TimestampingOptions)]);
    await host.RunAsync();
    return 0;
}
catch (Exception exception) when (StartupErrors.IsConfigurationError(exception))
{
    await StartupErrors.ReportAsync("Le routeur", exception);
    return 2;
}
