namespace Pec.Tsa;

/// <summary>Builds the TSA host; tests build it the same way.</summary>
internal static class TsaApplication
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddOptions<TsaOptions>()
            .Bind(builder.Configuration.GetSection("Tsa"))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<TimestampAuthority>();

        var app = builder.Build();
        TimestampEndpoint.Map(app);
        return app;
    }
}
