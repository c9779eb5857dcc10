namespace Pec.Cli;

/// <summary>Messages of the command line, French by default and English with <c>--lang en</c> or <c>PEC_LANG=en</c>.</summary>
internal sealed class CliText(bool english)
{
    public bool English { get; } = english;

    public string Pick(string french, string englishText) => English ? englishText : french;

    public static bool PrefersEnglish(IReadOnlyList<string> args) =>
        args.Contains("--lang=en") || (args.IndexOf("--lang") is var i and >= 0 && i + 1 < args.Count && args[i + 1] == "en")
        || string.Equals(Environment.GetEnvironmentVariable("PEC_LANG"), "en", StringComparison.OrdinalIgnoreCase);
}

internal static class ListExtensions
{
    public static int IndexOf(this IReadOnlyList<string> list, string value)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] == value)
            {
                return i;
            }
        }

        return -1;
    }
}
