using Pec.Gateway.Hosting;
using Pec.Routing.Hosting;

try
{
    await using var app = GatewayApplication.Build(args);
    await app.RunAsync();
    return 0;
}
catch (Exception exception) when (StartupErrors.IsConfigurationError(exception))
{
    await StartupErrors.ReportAsync("La passerelle", exception);
    return 2;
}
