namespace Pec.Signing.Verification;

/// <summary>
/// The signature levels a flow type can require, from the French RGS (Référentiel Général de Sécurité), in
/// increasing order: <c>none</c> &lt; <c>RGS*</c> &lt; <c>RGS**</c> &lt; <c>RGS***</c>. Names are case-sensitive.
/// </summary>
public static class SignatureLevels
{
    /// <summary>No signature required.</summary>
    public const string None = "none";

    /// <summary>RGS one star.</summary>
    public const string RgsOneStar = "RGS*";

    /// <summary>RGS two stars.</summary>
    public const string RgsTwoStars = "RGS**";

    /// <summary>RGS three stars.</summary>
    public const string RgsThreeStars = "RGS***";

    /// <summary>Every level, lowest first.</summary>
    public static IReadOnlyList<string> Ordered { get; } = [None, RgsOneStar, RgsTwoStars, RgsThreeStars];

    /// <summary>True when <paramref name="level"/> is one of <see cref="Ordered"/>.</summary>
    public static bool IsKnown(string? level) => level is not null && Rank(level) >= 0;

    /// <summary>Position of <paramref name="level"/> in <see cref="Ordered"/>, or -1 for an unknown name.</summary>
    internal static int Rank(string level)
    {
        for (var i = 0; i < Ordered.Count; i++)
        {
            if (string.Equals(Ordered[i], level, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
