namespace Pec.Cli;

/// <summary>Dispatches <c>pec COMMAND …</c>; tests call <see cref="Run"/> with their own writers.</summary>
internal static class PecCommand
{
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var text = new CliText(CliText.PrefersEnglish(args));
        if (args.Length == 0 || args[0] is "--help" or "-h" or "help")
        {
            output.WriteLine(text.Pick("pec : outils de signature de PEC.", "pec: PEC signature tools."));
            output.WriteLine(VerifyCommand.Usage(text));
            output.WriteLine(SealCommand.Usage(text));
            return args.Length == 0 ? VerifyCommand.UsageError : 0;
        }

        switch (args[0])
        {
            case "verify":
                return VerifyCommand.Run(args[1..], output, error, text);
            case "seal":
                return SealCommand.Run(args[1..], output, error, text);
            default:
                error.WriteLine(text.Pick($"Commande inconnue : {args[0]}", $"Unknown command: {args[0]}"));
                error.WriteLine(VerifyCommand.Usage(text));
                return VerifyCommand.UsageError;
        }
    }
}
