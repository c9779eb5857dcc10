using Pec.Signing.Sealing;
using Pec.Signing.Seal;

namespace Pec.Cli;

/// <summary>
/// <c>pec seal FILE --cert SEAL.crt --key SEAL.key [--media-type TYPE] [--out OUT]</c>: seals FILE with a
/// platform seal, as PEC seals unsigned payloads: an enveloped XAdES B-B signature for XML (written
/// to OUT, default FILE.sealed.xml), a detached CAdES signature otherwise (OUT, default FILE.p7s).
/// </summary>
internal static class SealCommand
{
    public static int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error, CliText text)
    {
        string? file = null, certificate = null, key = null, mediaType = null, outputPath = null;
        for (var i = 0; i < args.Count; i++)
        {
            string? Value() => i + 1 < args.Count ? args[++i] : null;
            switch (args[i])
            {
                case "--cert" when Value() is { } value: certificate = value; break;
                case "--key" when Value() is { } value: key = value; break;
                case "--media-type" when Value() is { } value: mediaType = value; break;
                case "--out" when Value() is { } value: outputPath = value; break;
                case "--lang": i++; break;
                case "--lang=en" or "--lang=fr": break;
                case var arg when !arg.StartsWith("--", StringComparison.Ordinal) && file is null: file = arg; break;
                default:
                    return Usage(error, text, text.Pick($"Argument inattendu ou valeur manquante : {args[i]}", $"Unexpected argument or missing value: {args[i]}"));
            }
        }

        if (file is null || certificate is null || key is null)
        {
            return Usage(error, text, text.Pick("FICHIER, --cert et --key sont obligatoires.", "FILE, --cert and --key are required."));
        }

        mediaType ??= file.EndsWith(".xml", StringComparison.OrdinalIgnoreCase) ? "application/xml" : "application/octet-stream";
        try
        {
            using var seal = new PlatformSeal(new PlatformSealOptions { CertificatePath = certificate, KeyPath = key });
            var sealer = new PayloadSealer(seal, TimeProvider.System);
            var sealedPayload = sealer.Seal(File.ReadAllBytes(file), mediaType);
            var xml = sealedPayload.Format == PayloadSealFormat.XadesEnveloped;
            outputPath ??= xml ? Path.ChangeExtension(file, ".sealed.xml") : file + ".p7s";
            File.WriteAllBytes(outputPath, sealedPayload.Content);
            output.WriteLine(xml
                ? text.Pick($"Document scellé (XAdES enveloppé) : {outputPath}", $"Sealed document (enveloped XAdES): {outputPath}")
                : text.Pick($"Signature détachée (CAdES) : {outputPath}", $"Detached signature (CAdES): {outputPath}"));
            return 0;
        }
        catch (Exception exception) when (exception is IOException or InvalidOperationException or ArgumentException or System.Security.Cryptography.CryptographicException)
        {
            error.WriteLine(text.Pick($"Scellement impossible : {exception.Message}", $"Sealing failed: {exception.Message}"));
            return VerifyCommand.Rejected;
        }
    }

    public static string Usage(CliText text) => text.Pick(
        "Usage : pec seal FICHIER --cert CACHET.crt --key CACHET.key [--media-type TYPE] [--out SORTIE]",
        "Usage: pec seal FILE --cert SEAL.crt --key SEAL.key [--media-type TYPE] [--out OUTPUT]");

    private static int Usage(TextWriter error, CliText text, string problem)
    {
        error.WriteLine(problem);
        error.WriteLine(Usage(text));
        return VerifyCommand.UsageError;
    }
}
