using Microsoft.Net.Http.Headers;

namespace Pec.Gateway.Problems;

/// <summary>Chooses between French (the default) and English from <c>Accept-Language</c>.</summary>
internal static class ProblemLanguage
{
    /// <summary>True when the client prefers English to French; ties and anything else give French.</summary>
    public static bool PrefersEnglish(HttpRequest request)
    {
        var values = request.GetTypedHeaders().AcceptLanguage;
        double french = -1;
        double english = -1;
        foreach (var value in values)
        {
            var language = value.Value.Value ?? "";
            var quality = value.Quality ?? 1.0;
            if (IsLanguage(language, "fr"))
            {
                french = Math.Max(french, quality);
            }
            else if (IsLanguage(language, "en"))
            {
                english = Math.Max(english, quality);
            }
        }

        return english > 0 && english > french;
    }

    private static bool IsLanguage(string tag, string language) =>
        tag.Equals(language, StringComparison.OrdinalIgnoreCase)
        || tag.StartsWith(language + "-", StringComparison.OrdinalIgnoreCase);
}
