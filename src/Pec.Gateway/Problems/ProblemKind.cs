namespace Pec.Gateway.Problems;

/// <summary>
/// One kind of error the API returns: a stable <c>type</c> URI, an HTTP status, and French and
/// English texts. Details are composite format strings whose arguments the caller supplies.
/// </summary>
internal sealed record ProblemKind(string Slug, int Status, string TitleFr, string TitleEn, string DetailFr, string DetailEn)
{
    public const string TypePrefix = "urn:pec:problem:";

    public string Type => TypePrefix + Slug;
}
