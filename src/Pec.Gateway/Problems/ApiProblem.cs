using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Pec.Gateway.Problems;

/// <summary>Builds RFC 9457 problem details in the caller's language.</summary>
internal static class ApiProblem
{
    public static ProblemHttpResult Result(HttpContext context, ProblemKind kind, params object?[] arguments) =>
        TypedResults.Problem(Create(context, kind, arguments));

    public static ProblemDetails Create(HttpContext context, ProblemKind kind, params object?[] arguments)
    {
        var english = ProblemLanguage.PrefersEnglish(context.Request);
        var culture = english ? CultureInfo.GetCultureInfo("en") : CultureInfo.GetCultureInfo("fr-FR");
        var problem = new ProblemDetails
        {
            Type = kind.Type,
            Status = kind.Status,
            Title = english ? kind.TitleEn : kind.TitleFr,
            Detail = string.Format(culture, english ? kind.DetailEn : kind.DetailFr, arguments),
            Instance = context.Request.Path,
        };
        problem.Extensions["traceId"] = Activity.Current?.TraceId.ToString() ?? context.TraceIdentifier;
        return problem;
    }

    /// <summary>Writes a problem straight to the response, for middleware that runs outside endpoints.</summary>
    public static async Task WriteAsync(HttpContext context, ProblemKind kind, params object?[] arguments)
    {
        context.Response.StatusCode = kind.Status;
        await Result(context, kind, arguments).ExecuteAsync(context);
    }
}
