using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Pec.Signing.Verification;

namespace Pec.Cli;

/// <summary>
/// <c>pec verify FILE [--trust CA.pem]… [--crl LIST.crl]… [--pin SIGNER.pem] [--level RGS**] [--at TIME] [--json]</c>:
/// verifies the XML signature of FILE and exits 0 only when a valid signature covers the whole
/// document and meets the level.
/// </summary>
internal static class VerifyCommand
{
    public const int Valid = 0;
    public const int Rejected = 1;
    public const int UsageError = 2;

    public static int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error, CliText text)
    {
        var options = VerifyOptions.Parse(args, text, out var usageProblem);
        if (options is null)
        {
            error.WriteLine(usageProblem);
            error.WriteLine(Usage(text));
            return UsageError;
        }

        byte[] document;
        try
        {
            document = File.ReadAllBytes(options.File);
        }
        catch (IOException exception)
        {
            error.WriteLine(text.Pick($"Fichier illisible : {options.File} ({exception.Message})", $"Cannot read {options.File} ({exception.Message})"));
            return UsageError;
        }

        SignatureVerdict verdict;
        try
        {
            verdict = Verify(options, document);
        }
        catch (InvalidOperationException exception)
        {
            error.WriteLine(text.Pick($"Configuration de confiance invalide : {exception.Message}", $"Invalid trust configuration: {exception.Message}"));
            return UsageError;
        }

        var accepted = verdict.IsValid && verdict.SignedContent?.CoversWholeDocument == true;
        if (options.Json)
        {
            output.WriteLine(JsonSerializer.Serialize(VerdictJson.From(verdict, accepted), VerdictJson.Options));
        }
        else
        {
            VerdictPrinter.Print(output, verdict, accepted, options, text);
        }

        return accepted ? Valid : Rejected;
    }

    public static string Usage(CliText text) => text.Pick(
        "Usage : pec verify FICHIER [--trust AC.pem]… [--crl LISTE.crl]… [--pin SIGNATAIRE.pem] [--level RGS*|RGS**|RGS***] [--at DATE] [--json] [--lang en]",
        "Usage: pec verify FILE [--trust CA.pem]… [--crl LIST.crl]… [--pin SIGNER.pem] [--level RGS*|RGS**|RGS***] [--at TIME] [--json] [--lang en]");

    private static SignatureVerdict Verify(VerifyOptions options, byte[] document)
    {
        var policy = new SignaturePolicyOptions();
        foreach (var crl in options.Crls)
        {
            policy.CrlPaths.Add(crl);
        }

        if (options.Pin is not null)
        {
            using var pinned = X509CertificateLoader.LoadCertificateFromFile(options.Pin);
            return new XmlSignatureVerifier(policy, TimeProvider.System).VerifyWithPinnedAnchor(document, pinned, options.At);
        }

        // The anchors given on the command line stand for the requested level; without CRLs,
        // revocation cannot be checked, and the output warns about it.
        var level = new SignatureLevelOptions { RequireRevocationCheck = options.Crls.Count > 0 };
        foreach (var trust in options.Trusts)
        {
            level.Anchors.Add(new TrustAnchorOptions { CertificatePath = trust });
        }

        policy.Levels[options.Level] = level;
        return new XmlSignatureVerifier(policy, TimeProvider.System).Verify(document, options.Level, options.At);
    }
}

/// <summary>Parsed arguments of <c>pec verify</c>.</summary>
internal sealed record VerifyOptions(string File, IReadOnlyList<string> Trusts, IReadOnlyList<string> Crls, string? Pin, string Level, DateTimeOffset? At, bool Json)
{
    public static VerifyOptions? Parse(IReadOnlyList<string> args, CliText text, out string problem)
    {
        string? file = null, pin = null;
        var level = SignatureLevels.RgsOneStar;
        DateTimeOffset? at = null;
        var json = false;
        List<string> trusts = [], crls = [];
        problem = "";
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            string? Value() => i + 1 < args.Count ? args[++i] : null;
            switch (arg)
            {
                case "--trust" when Value() is { } path: trusts.Add(path); break;
                case "--crl" when Value() is { } path: crls.Add(path); break;
                case "--pin" when Value() is { } path: pin = path; break;
                case "--level" when Value() is { } value:
                    if (!SignatureLevels.IsKnown(value) || value == SignatureLevels.None)
                    {
                        problem = text.Pick($"Niveau inconnu : {value} (attendu : RGS*, RGS** ou RGS***).", $"Unknown level: {value} (expected RGS*, RGS** or RGS***).");
                        return null;
                    }

                    level = value;
                    break;
                case "--at" when Value() is { } value:
                    if (!DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
                    {
                        problem = text.Pick($"Date invalide pour --at : {value} (attendu : ISO 8601, par exemple 2026-12-04T10:00:00Z).", $"Invalid --at time: {value} (expected ISO 8601, such as 2026-12-04T10:00:00Z).");
                        return null;
                    }

                    at = parsed;
                    break;
                case "--json": json = true; break;
                case "--lang": i++; break;
                case "--lang=en" or "--lang=fr": break;
                default:
                    if (arg.StartsWith("--", StringComparison.Ordinal) || file is not null)
                    {
                        problem = text.Pick($"Argument inattendu ou valeur manquante : {arg}", $"Unexpected argument or missing value: {arg}");
                        return null;
                    }

                    file = arg;
                    break;
            }
        }

        if (file is null)
        {
            problem = text.Pick("Fichier à vérifier manquant.", "Missing file to verify.");
            return null;
        }

        if (trusts.Count == 0 && pin is null)
        {
            problem = text.Pick("Aucune ancre de confiance : donnez --trust AC.pem (ou --pin SIGNATAIRE.pem).", "No trust anchor: give --trust CA.pem (or --pin SIGNER.pem).");
            return null;
        }

        return new VerifyOptions(file, trusts, crls, pin, level, at, json);
    }
}
