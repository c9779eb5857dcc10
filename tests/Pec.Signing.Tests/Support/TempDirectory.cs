namespace Pec.Signing.Tests.Support;

/// <summary>A scratch folder for PEM and receipt files handed to openssl and xmlsec1.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = Directory.CreateTempSubdirectory("pec-signing-tests-").FullName;
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Leftovers in /tmp are harmless; a failing cleanup must not hide the test result.
        }
    }
}
