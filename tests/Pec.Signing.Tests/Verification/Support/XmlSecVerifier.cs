using System.Security.Cryptography.X509Certificates;
using Pec.Signing.Tests.Support;

namespace Pec.Signing.Tests.Verification.Support;

/// <summary>Runs the reference implementation, xmlsec1, on a signed document.</summary>
public static class XmlSecVerifier
{
    /// <summary>
    /// xmlsec1 --verify --trusted-pem ca.pem --enabled-reference-uris empty,same-doc, plus --id-attr for the Id
    /// attributes XAdES and the sample documents use (without a schema, xmlsec1 resolves only ds: Id attributes).
    /// </summary>
    /// <param name="trustedCa">The only certificate xmlsec1 trusts.</param>
    /// <param name="document">The signed document.</param>
    /// <param name="verificationTime">Time for certificate validity; null uses the wall clock.</param>
    public static async Task<ToolResult> VerifyAsync(X509Certificate2 trustedCa, byte[] document, DateTimeOffset? verificationTime = null)
    {
        using var temp = new TempDirectory();
        var caPath = VerificationPki.WritePem(trustedCa, temp.File("ca.pem"));
        var documentPath = temp.File("signed.xml");
        await File.WriteAllBytesAsync(documentPath, document);
        // xmlsec1 reads --verification-time as local time.
        string[] time = verificationTime is { } at
            ? ["--verification-time", at.LocalDateTime.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture)]
            : [];
        return await ExternalTool.RunAsync(
            "xmlsec1",
            temp.Path,
            [
                "--verify",
                "--trusted-pem", caPath,
                "--enabled-reference-uris", "empty,same-doc",
                "--id-attr:Id", $"{DocumentSigner.XadesNamespace}:SignedProperties",
                "--id-attr:Id", $"{SampleDocuments.Namespace}:Acte",
                .. time,
                documentPath,
            ]);
    }
}
