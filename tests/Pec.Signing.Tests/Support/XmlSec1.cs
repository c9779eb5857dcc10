using System.Security.Cryptography.X509Certificates;

namespace Pec.Signing.Tests.Support;

public static class XmlSec1
{
    /// <summary>Writes ca.crt and receipt.xml into <paramref name="temp"/> and runs xmlsec1 --verify on them.</summary>
    public static Task<ToolResult> VerifyAsync(TempDirectory temp, X509Certificate2 trustedCa, byte[] receipt, string name = "receipt.xml")
    {
        var caPath = TestPki.WriteCertificatePem(trustedCa, temp.File("ca.crt"));
        var receiptPath = temp.File(name);
        File.WriteAllBytes(receiptPath, receipt);
        return ExternalTool.XmlSecVerifyAsync(caPath, receiptPath);
    }
}
