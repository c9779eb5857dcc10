using System.Globalization;
using Pec.Signing.Verification;

namespace Pec.Cli;

/// <summary>Writes a verdict for a person: the outcome first, then signer, level and what was signed.</summary>
internal static class VerdictPrinter
{
    public static void Print(TextWriter output, SignatureVerdict verdict, bool accepted, VerifyOptions options, CliText text)
    {
        if (accepted)
        {
            output.WriteLine(text.Pick("Verdict : signature valide", "Verdict: valid signature"));
        }
        else if (verdict.IsValid)
        {
            output.WriteLine(text.Pick("Verdict : refusé — la signature valide ne couvre pas tout le document (règle : wrapping)",
                "Verdict: rejected — the valid signature does not cover the whole document (rule: wrapping)"));
        }
        else
        {
            var description = ReasonTexts.Describe(verdict.Reason, text);
            output.WriteLine(text.Pick($"Verdict : refusé — règle {verdict.Reason} : {description}", $"Verdict: rejected — rule {verdict.Reason}: {description}"));

            // The verifier's explanation names the element or certificate involved; it is written in English.
            output.WriteLine(text.Pick($"Détail technique (en anglais) : {verdict.Detail}", $"Technical detail: {verdict.Detail}"));
        }

        if (options.Pin is null)
        {
            output.WriteLine(text.Pick($"Niveau demandé : {options.Level} ; niveau atteint : {verdict.LevelMet ?? "aucun"}",
                $"Level requested: {options.Level}; level met: {verdict.LevelMet ?? "none"}"));
        }
        else
        {
            output.WriteLine(text.Pick($"Ancre épinglée : {options.Pin}", $"Pinned anchor: {options.Pin}"));
        }

        if (verdict.Signer is { } signer)
        {
            output.WriteLine(text.Pick($"Signataire : {signer.Subject}", $"Signer: {signer.Subject}"));
            output.WriteLine(text.Pick($"Émetteur : {signer.Issuer}", $"Issuer: {signer.Issuer}"));
            output.WriteLine(text.Pick($"Numéro de série : {signer.SerialNumberHex}", $"Serial number: {signer.SerialNumberHex}"));
        }

        if (verdict.Algorithms is { } algorithms)
        {
            output.WriteLine(text.Pick($"Algorithmes : {algorithms.SignatureMethod} ; empreintes : {string.Join(", ", algorithms.DigestMethods)}",
                $"Algorithms: {algorithms.SignatureMethod}; digests: {string.Join(", ", algorithms.DigestMethods)}"));
        }

        if (verdict.SigningTime is { } signingTime)
        {
            output.WriteLine(text.Pick($"Date de signature : {signingTime.ToString("O", CultureInfo.InvariantCulture)}", $"Signing time: {signingTime.ToString("O", CultureInfo.InvariantCulture)}"));
        }

        if (verdict.SignedContent is { } content)
        {
            var root = content.Document;
            output.WriteLine(content.CoversWholeDocument && root is not null
                ? text.Pick($"Contenu signé : le document entier (élément racine {root.Name})", $"Signed content: the whole document (root element {root.Name})")
                : text.Pick($"Contenu signé : {content.References.Count} référence(s), sans le document entier", $"Signed content: {content.References.Count} reference(s), not the whole document"));
        }

        if (options.Pin is null && options.Crls.Count == 0)
        {
            output.WriteLine(text.Pick("Attention : aucune liste de révocation (--crl) ; la révocation n'a pas été vérifiée.",
                "Warning: no revocation list (--crl); revocation was not checked."));
        }
    }
}
