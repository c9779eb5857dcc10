using Pec.Gateway.Hosting;

await using var app = GatewayApplication.Build(args);
await app.RunAsync();
