using System.Diagnostics;
using Microsoft.AspNetCore.Diagnostics;
using Pec.Gateway.Problems;

namespace Pec.Gateway.Hosting;

/// <summary>Turns unhandled exceptions and bare error statuses into localized problem+json.</summary>
internal static class ErrorResponses
{
    public static void Use(WebApplication app)
    {
        app.UseExceptionHandler(errorApp => errorApp.Run(async context =>
        {
            var exception = context.Features.Get<IExceptionHandlerFeature>()?.Error;
            if (exception is BadHttpRequestException badRequest)
            {
                var kind = badRequest.StatusCode == StatusCodes.Status413PayloadTooLarge ? ProblemCatalog.RequestTooLarge : ProblemCatalog.BadRequest;
                await ApiProblem.WriteAsync(context, kind);
                return;
            }

            var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ErrorResponses));
            if (exception is not null)
            {
                Log.UnhandledError(logger, exception, context.Request.Path);
            }

            var traceId = Activity.Current?.TraceId.ToString() ?? context.TraceIdentifier;
            await ApiProblem.WriteAsync(context, ProblemCatalog.InternalError, traceId);
        }));

        app.UseStatusCodePages(async statusContext =>
        {
            var context = statusContext.HttpContext;
            var kind = ProblemCatalog.ForStatus(context.Response.StatusCode);
            var traceId = Activity.Current?.TraceId.ToString() ?? context.TraceIdentifier;
            await ApiProblem.WriteAsync(context, kind, traceId);
        });
    }
}
