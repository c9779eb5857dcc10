using Pec.Tsa;

await using var app = TsaApplication.Build(args);
await app.RunAsync();
