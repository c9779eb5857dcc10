using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Routing;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Pec.Adapters;
using Pec.Gateway.Audit;
using Pec.Gateway.Authentication;
using Pec.Gateway.Flows;
using Pec.Gateway.Health;
using Pec.Gateway.Mailbox;
using Pec.Gateway.Operations;
using Pec.Routing;
using Pec.Routing.Hosting;
using Pec.Routing.Registry;
using Pec.Signing.Seal;
using Pec.Signing.Verification;

namespace Pec.Gateway.Hosting;

/// <summary>Builds the gateway host: services, TLS, authentication and the API routes. Tests build it the same way.</summary>
internal static class GatewayApplication
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        AddServices(builder);
        KestrelTls.Configure(builder);

        var app = builder.Build();
        StartupErrors.ValidateAll(app.Services, [
            typeof(TlsOptions), typeof(ClientAuthOptions), typeof(Pec.Signing.Seal.PlatformSealOptions),
            typeof(Pec.Adapters.Payloads.PayloadStoreOptions), typeof(Pec.Routing.Persistence.DatabaseOptions),
            typeof(Pec.Routing.Routing.RoutingOptions), typeof(Pec.Routing.Delivery.DeliveryOptions), typeof(SignaturePolicyOptions)]);
        // A response to HEAD carries no body: writes of error bodies go nowhere, so that HTTP/2 does
        // not reset the stream for a body it must not send.
        app.Use((context, next) =>
        {
            if (HttpMethods.IsHead(context.Request.Method))
            {
                context.Response.Body = Stream.Null;
            }

            return next(context);
        });
        ErrorResponses.Use(app);
        app.UseAuthentication();
        app.UseAuthorization();
        MapRoutes(app);
        return app;
    }

    private static void AddServices(WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;
        services.AddSingleton(TimeProvider.System);
        services.AddProblemDetails();
        services.AddOpenApi();
        services.AddPecSigning(configuration);
        services.AddPecSignatureVerification(configuration);
        services.AddSingleton<SignatureVerifierProvider>();
        services.AddHostedService(sp => sp.GetRequiredService<SignatureVerifierProvider>());
        services.AddSingleton<PayloadSignatureCheck>();
        services.AddSingleton<UnsignedPayloadSealing>();
        services.AddPecPayloadStore(configuration);
        services.AddPecRouting(configuration);

        services.AddOptions<ClientAuthOptions>()
            .Bind(configuration.GetSection("Pec:ClientAuth"))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<ClientCertificateValidator>();
        services.AddAuthentication(PecClaims.Scheme)
            .AddScheme<AuthenticationSchemeOptions, ClientCertificateHandler>(PecClaims.Scheme, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(PecClaims.AdministrationPolicy, policy => policy.RequireRole(nameof(AdministrationRole.Administration)))
            .AddPolicy(PecClaims.AuditorPolicy, policy => policy.RequireRole(nameof(AdministrationRole.Auditor)))
            .AddPolicy(PecClaims.OperatorPolicy, policy => policy.RequireRole(nameof(AdministrationRole.Operator)));

        services.AddHealthChecks().AddCheck<PostgresHealthCheck>("postgres", tags: ["ready"]);
        AddTelemetry(builder);
    }

    private static void AddTelemetry(WebApplicationBuilder builder)
    {
        // Exporters: "none" (default), "console" or "otlp" (OTEL_EXPORTER_OTLP_* variables set the endpoint).
        var exporter = builder.Configuration["Pec:Telemetry:Exporter"] ?? "none";
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("pec-gateway"))
            .WithTracing(tracing =>
            {
                tracing.AddAspNetCoreInstrumentation().AddSource(PecActivitySources.All);
                if (exporter == "console")
                {
                    tracing.AddConsoleExporter();
                }
                else if (exporter == "otlp")
                {
                    tracing.AddOtlpExporter();
                }
            })
            .WithMetrics(metrics =>
            {
                metrics.AddAspNetCoreInstrumentation().AddMeter("MassTransit", PecMetrics.MeterName).AddPrometheusExporter();
                if (exporter == "console")
                {
                    metrics.AddConsoleExporter();
                }
                else if (exporter == "otlp")
                {
                    metrics.AddOtlpExporter();
                }
            });
    }

    private static void MapRoutes(WebApplication app)
    {
        var getOnly = new HttpMethodMetadata([HttpMethods.Get, HttpMethods.Head]);
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).WithMetadata(getOnly);
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") }).WithMetadata(getOnly);
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapPrometheusScrapingEndpoint("/metrics");

        var api = app.MapGroup("/api/v1");
        SubmitFlowEndpoint.Map(api);
        FlowReadEndpoints.Map(api);
        MailboxEndpoints.Map(api);
        AuditEndpoints.Map(api);
        DeadLetterEndpoints.Map(api);
    }
}
