using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Pec.Adapters;
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
    await host.RunAsync();
    return 0;
}
catch (OptionsValidationException exception)
{
    // A configuration mistake is reported as the list of what to fix, without a stack trace.
    await Console.Error.WriteLineAsync("PEC router cannot start; fix the configuration:");
    foreach (var failure in exception.Failures)
    {
        await Console.Error.WriteLineAsync($"- {failure}");
    }

    return 2;
}
