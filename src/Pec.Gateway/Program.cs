using Pec.Gateway.Hosting;

try
{
    await using var app = GatewayApplication.Build(args);
    await app.RunAsync();
    return 0;
}
catch (Exception exception) when (StartupErrors.IsConfigurationError(exception))
{
    // A configuration mistake is reported as the list of what to fix, without a stack trace.
    await Console.Error.WriteLineAsync("PEC gateway cannot start; fix the configuration:");
    foreach (var message in StartupErrors.Messages(exception))
    {
        await Console.Error.WriteLineAsync($"- {message}");
    }

    return 2;
}
