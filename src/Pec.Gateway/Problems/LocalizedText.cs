using System.Globalization;

namespace Pec.Gateway.Problems;

/// <summary>
/// A problem argument with a French and an English form. <see cref="ApiProblem"/> formats details
/// with the response culture, and this type picks its form from that culture.
/// </summary>
internal sealed record LocalizedText(string French, string English) : IFormattable
{
    public string ToString(string? format, IFormatProvider? formatProvider) =>
        formatProvider is CultureInfo { TwoLetterISOLanguageName: "en" } ? English : French;

    public override string ToString() => French;
}
