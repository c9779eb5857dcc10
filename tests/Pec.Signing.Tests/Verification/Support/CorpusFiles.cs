namespace Pec.Signing.Tests.Verification.Support;

/// <summary>
/// Locates the shared sample corpus (read-only): the PEC_CORPUS environment variable when set, otherwise
/// <c>../shared/corpus</c> next to the repository root (the folder holding Pec.sln).
/// </summary>
public static class CorpusFiles
{
    private static readonly Lazy<string> Root = new(FindRoot);

    public static string TrustedList(string name) => Path.Combine(Root.Value, "trusted-lists", name);

    public static string XadesAttack(string name) => Path.Combine(Root.Value, "xades-attacks", name);

    public static byte[] Read(string path) => File.ReadAllBytes(path);

    private static string FindRoot()
    {
        var configured = Environment.GetEnvironmentVariable("PEC_CORPUS");
        if (!string.IsNullOrEmpty(configured))
        {
            return configured;
        }

        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Pec.sln")))
            {
                var corpus = Path.GetFullPath(Path.Combine(directory.FullName, "..", "shared", "corpus"));
                return Directory.Exists(corpus)
                    ? corpus
                    : throw new DirectoryNotFoundException($"The sample corpus is not at {corpus}; set PEC_CORPUS to its folder.");
            }
        }

        throw new DirectoryNotFoundException("Pec.sln was not found above the test binaries; set PEC_CORPUS to the corpus folder.");
    }
}
