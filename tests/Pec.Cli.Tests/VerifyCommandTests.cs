using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography.Xml;
using System.Text;
using System.Text.Json;
using System.Xml;

namespace Pec.Cli.Tests;

public sealed class VerifyCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pec-cli-test-").FullName;
    private readonly string _caPath;
    private readonly X509Certificate2 _signer;

    public VerifyCommandTests()
    {
        var notBefore = TimeProvider.System.GetUtcNow().AddMinutes(-5);
        using var caKey = RSA.Create(3072);
        var caRequest = new CertificateRequest("CN=PEC CLI Test CA", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var ca = caRequest.CreateSelfSigned(notBefore, notBefore.AddYears(1));
        _caPath = Path.Combine(_directory, "ca.pem");
        File.WriteAllText(_caPath, ca.ExportCertificatePem());

        using var key = RSA.Create(3072);
        var request = new CertificateRequest("CN=Agent signataire, O=COMMUNE-214400152", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation, true));
        using var issued = request.Create(ca, notBefore, notBefore.AddMonths(6), [0x01, 0x23]);
        _signer = issued.CopyWithPrivateKey(key);
    }

    [Fact]
    public void SignedDocument_IsValid_Exit0()
    {
        var file = Write("acte.xml", Sign("<acte><objet>Délibération</objet></acte>"));

        var (exitCode, output, _) = Run("verify", file, "--trust", _caPath, "--level", "RGS**");

        Assert.Equal(0, exitCode);
        Assert.Contains("Verdict : signature valide", output, StringComparison.Ordinal);
        Assert.Contains("niveau atteint : RGS**", output, StringComparison.Ordinal);
        Assert.Contains("Signataire : CN=Agent signataire, O=COMMUNE-214400152", output, StringComparison.Ordinal);
        Assert.Contains("Contenu signé : le document entier (élément racine acte)", output, StringComparison.Ordinal);
        Assert.Contains("la révocation n'a pas été vérifiée", output, StringComparison.Ordinal);
    }

    [Fact]
    public void TamperedDocument_IsRejected_Exit1()
    {
        var signed = Sign("<acte><objet>Délibération</objet></acte>");
        var file = Write("acte.xml", signed.Replace("Délibération", "Arrêté", StringComparison.Ordinal));

        var (exitCode, output, _) = Run("verify", file, "--trust", _caPath);

        Assert.Equal(1, exitCode);
        Assert.Contains("Verdict : refusé — règle digest-mismatch : le contenu signé a été modifié après la signature", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("trusted-lists/eu-lotl-no-sig.xml", "missing-signature")]
    [InlineData("trusted-lists/eu-lotl-broken-sig.xml", "digest-mismatch")]
    [InlineData("xades-attacks/xades-with-dtd-injection.xml", "dtd-forbidden")]
    [InlineData("xades-attacks/XSW-enveloped-fake-content.xml", "wrapping")]
    public void CorpusFile_IsRejectedWithRule(string file, string rule)
    {
        var (exitCode, output, _) = Run("verify", Path.Combine(Corpus(), file), "--trust", _caPath, "--json");

        using var json = JsonDocument.Parse(output);
        Assert.Equal(1, exitCode);
        Assert.False(json.RootElement.GetProperty("valid").GetBoolean());
        Assert.Equal(rule, json.RootElement.GetProperty("reason").GetString());
    }

    [Fact]
    public void TrustedList_WithPinnedSigner_IsValid()
    {
        var path = Path.Combine(Corpus(), "trusted-lists/fr-tl.xml");
        var pin = Write("fr-tl-signer.pem", SignerCertificateOf(path).ExportCertificatePem());

        var (exitCode, output, _) = Run("verify", path, "--pin", pin);

        Assert.True(exitCode == 0, output);
        Assert.Contains("Date de signature : 2019-09-04", output, StringComparison.Ordinal);
    }

    [Fact]
    public void EnglishOutput_WithLangOption()
    {
        var file = Write("acte.xml", Sign("<acte/>"));

        var (exitCode, output, _) = Run("verify", file, "--trust", _caPath, "--lang", "en");

        Assert.Equal(0, exitCode);
        Assert.Contains("Verdict: valid signature", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new string[] { "verify" }, "Fichier à vérifier manquant.")]
    [InlineData(new string[] { "verify", "x.xml" }, "Aucune ancre de confiance")]
    [InlineData(new string[] { "verify", "x.xml", "--trust", "ca.pem", "--level", "RGS****" }, "Niveau inconnu : RGS****")]
    [InlineData(new string[] { "verify", "x.xml", "--trust", "ca.pem", "--at", "hier" }, "Date invalide pour --at : hier")]
    [InlineData(new string[] { "verify", "x.xml", "--trust" }, "valeur manquante : --trust")]
    [InlineData(new string[] { "sign", "x.xml" }, "Commande inconnue : sign")]
    public void BadArguments_ExplainAndExit2(string[] args, string message)
    {
        var (exitCode, _, error) = Run(args);

        Assert.Equal(2, exitCode);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingFile_Exit2()
    {
        var (exitCode, _, error) = Run("verify", Path.Combine(_directory, "absent.xml"), "--trust", _caPath);

        Assert.Equal(2, exitCode);
        Assert.Contains("Fichier illisible", error, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _signer.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private static (int ExitCode, string Output, string Error) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = PecCommand.Run(args, output, error);
        return (exitCode, output.ToString(), error.ToString());
    }

    private string Write(string name, string content)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, content, new UTF8Encoding(false));
        return path;
    }

    private string Sign(string xml)
    {
        var document = new XmlDocument { PreserveWhitespace = true };
        document.LoadXml(xml);
        var signedXml = new SignedXml(document) { SigningKey = _signer.GetRSAPrivateKey() };
        signedXml.SignedInfo!.CanonicalizationMethod = SignedXml.XmlDsigExcC14NTransformUrl;
        signedXml.SignedInfo.SignatureMethod = SignedXml.XmlDsigRSASHA256Url;
        var reference = new Reference(string.Empty) { DigestMethod = SignedXml.XmlDsigSHA256Url };
        reference.AddTransform(new XmlDsigEnvelopedSignatureTransform());
        reference.AddTransform(new XmlDsigExcC14NTransform());
        signedXml.AddReference(reference);
        var keyInfo = new KeyInfo();
        keyInfo.AddClause(new KeyInfoX509Data(_signer));
        signedXml.KeyInfo = keyInfo;
        signedXml.ComputeSignature();
        document.DocumentElement!.AppendChild(document.ImportNode(signedXml.GetXml(), deep: true));
        return document.OuterXml;
    }

    private static X509Certificate2 SignerCertificateOf(string path)
    {
        var document = new XmlDocument { XmlResolver = null };
        document.Load(path);
        var namespaces = new XmlNamespaceManager(document.NameTable);
        namespaces.AddNamespace("ds", SignedXml.XmlDsigNamespaceUrl);
        var base64 = document.SelectSingleNode("/*/ds:Signature/ds:KeyInfo/ds:X509Data/ds:X509Certificate", namespaces)!.InnerText;
        return X509CertificateLoader.LoadCertificate(Convert.FromBase64String(base64));
    }

    private static string Corpus()
    {
        if (Environment.GetEnvironmentVariable("PEC_CORPUS") is { Length: > 0 } corpus)
        {
            return corpus;
        }

        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(directory!.FullName, "Pec.sln")))
        {
            directory = directory.Parent;
        }

        return Path.GetFullPath(Path.Combine(directory.FullName, "..", "shared", "corpus"));
    }
}
