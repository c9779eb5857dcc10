namespace Pec.Gateway.Problems;

/// <summary>
/// Problems of a submission without <c>Pec-Recipients</c> whose recipients the flow type's rules
/// cannot derive from the payload. They share one slug, so clients branch on one type whatever the cause.
/// </summary>
internal static class RecipientProblems
{
    private const string Slug = "recipients-unresolved";
    private const int Status = 422;
    private const string TitleFr = "Destinataires introuvables";
    private const string TitleEn = "Recipients unresolved";

    /// <summary>Arguments: the flow type, the media type.</summary>
    public static readonly ProblemKind NoApplicableRule = new(
        Slug, Status, TitleFr, TitleEn,
        "Aucune règle de destinataires du type de flux « {0} » ne lit les documents de type « {1} » ; nommez les destinataires dans l'en-tête Pec-Recipients.",
        "No recipient rule of flow type '{0}' reads payloads of type '{1}'; name the recipients in the Pec-Recipients header.");

    /// <summary>Arguments: the rules, as written in the registry.</summary>
    public static readonly ProblemKind NoValue = new(
        Slug, Status, TitleFr, TitleEn,
        "Le document ne contient aucune valeur pour la règle {0} ; nommez les destinataires dans l'en-tête Pec-Recipients ou complétez le document.",
        "The payload holds no value for the rule {0}; name the recipients in the Pec-Recipients header or complete the payload.");

    /// <summary>Arguments: the rule, the value, the code kind.</summary>
    public static readonly ProblemKind UnknownCode = new(
        Slug, Status, TitleFr, TitleEn,
        "La valeur « {1} » que sélectionne la règle {0} n'est le code {2} d'aucune administration du registre.",
        "The value '{1}' that the rule {0} selects is no registered administration's {2} code.");

    /// <summary>Arguments: the rule, and the location of the error as a <see cref="LocalizedText"/>, empty when the parser gives none.</summary>
    public static readonly ProblemKind Unreadable = new(
        Slug, Status, TitleFr, TitleEn,
        "Le document ne peut être lu pour la règle {0} : il est mal formé ou contient une DTD, interdite{1}.",
        "The payload cannot be read for the rule {0}: it is malformed or contains a DTD, which is prohibited{1}.");

    /// <summary>Arguments: the maximum number of recipients.</summary>
    public static readonly ProblemKind TooManyRecipients = new(
        Slug, Status, TitleFr, TitleEn,
        "Le document désigne plus de {0} destinataires distincts, le maximum pour un flux.",
        "The payload names more than {0} distinct recipients, the maximum for one flow.");
}
