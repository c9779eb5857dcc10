using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Text;
using Pec.Signing.Seal;
using Pec.Signing.Sealing;
using Pec.Signing.Tests.Support;

namespace Pec.Signing.Tests;

public sealed class PayloadSealerTests
{
    [Theory]
    [InlineData(SealKeyKind.Rsa3072)]
    [InlineData(SealKeyKind.EcdsaP256)]
    public async Task SealXml_Utf8Document_VerifiesWithXmlsec1(SealKeyKind kind)
    {
        var (ca, sealCertificate) = SharedPki.Get(kind);
        using var seal = new PlatformSeal(sealCertificate);
        using var temp = new TempDirectory();
        var payload = Encoding.UTF8.GetBytes("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<avis xmlns=\"urn:exemple\">\n  <objet>Marché n°42 — été</objet>\n</avis>\n");

        var sealedXml = Sealer(seal).SealXml(payload);

        var result = await XmlSec1.VerifyAsync(temp, ca, sealedXml, "sealed.xml");
        Assert.True(result.ExitCode == 0, $"xmlsec1 refused the sealed document: {result}");
    }

    [Fact]
    public async Task SealXml_Iso88591WithCrLf_KeepsEncodingAndVerifies()
    {
        var (ca, sealCertificate) = SharedPki.Get(SealKeyKind.EcdsaP256);
        using var seal = new PlatformSeal(sealCertificate);
        using var temp = new TempDirectory();
        // The corpus document carries its sender's XAdES signature; PEC seals unsigned payloads, so it is cut out
        // byte for byte, which leaves an unsigned ISO-8859-1 document with CRLF line breaks.
        var signed = File.ReadAllBytes(Path.Combine(CorpusRoot(), "hubee", "certdc-va-iso-8859-1.xml"));
        var start = signed.AsSpan().IndexOf("<ds:Signature "u8);
        var end = signed.AsSpan().IndexOf("</ds:Signature>"u8) + "</ds:Signature>"u8.Length;
        byte[] payload = [.. signed.AsSpan(0, start), .. signed.AsSpan(end)];
        Assert.Contains((byte)'\r', payload);

        var sealedXml = Sealer(seal).SealXml(payload);

        var result = await XmlSec1.VerifyAsync(temp, ca, sealedXml, "sealed.xml");
        Assert.True(result.ExitCode == 0, $"xmlsec1 refused the sealed document: {result}");
        // Everything before the signature is the original document, byte for byte, up to the root end tag.
        var rootEnd = LastIndexOf(payload, "</"u8);
        Assert.Equal(payload.AsSpan(0, rootEnd).ToArray(), sealedXml.AsSpan(0, rootEnd).ToArray());
        Assert.StartsWith("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>", Encoding.Latin1.GetString(sealedXml), StringComparison.Ordinal);
    }

    [Fact]
    public void SealXml_AlreadySigned_Throws()
    {
        var (_, sealCertificate) = SharedPki.Get(SealKeyKind.EcdsaP256);
        using var seal = new PlatformSeal(sealCertificate);
        var once = Sealer(seal).SealXml("<a/>"u8.ToArray());

        Assert.Throws<ArgumentException>(() => Sealer(seal).SealXml(once));
    }

    [Theory]
    [InlineData(SealKeyKind.Rsa3072)]
    [InlineData(SealKeyKind.EcdsaP256)]
    public async Task SealCades_VerifiesWithOpenSsl(SealKeyKind kind)
    {
        var (ca, sealCertificate) = SharedPki.Get(kind);
        using var seal = new PlatformSeal(sealCertificate);
        using var temp = new TempDirectory();
        var payload = Encoding.UTF8.GetBytes("%PDF-1.7 not really a PDF\r\n\0binary");

        var signature = Sealer(seal).SealCades(payload);

        File.WriteAllBytes(temp.File("sig.p7s"), signature);
        File.WriteAllBytes(temp.File("payload.bin"), payload);
        TestPki.WriteCertificatePem(ca, temp.File("ca.pem"));
        await ExternalTool.OpenSslAsync(
            temp.Path, "cms", "-verify", "-binary", "-inform", "DER", "-in", "sig.p7s", "-content", "payload.bin",
            "-CAfile", "ca.pem", "-purpose", "any", "-out", "/dev/null");

        File.WriteAllBytes(temp.File("tampered.bin"), [.. payload, 0x20]);
        var tampered = await ExternalTool.RunAsync(
            "openssl", temp.Path, "cms", "-verify", "-binary", "-inform", "DER", "-in", "sig.p7s", "-content", "tampered.bin",
            "-CAfile", "ca.pem", "-purpose", "any", "-out", "/dev/null");
        Assert.NotEqual(0, tampered.ExitCode);
    }

    [Fact]
    public void SealCades_CarriesSigningCertificateV2AndSigningTime()
    {
        var (_, sealCertificate) = SharedPki.Get(SealKeyKind.EcdsaP256);
        using var seal = new PlatformSeal(sealCertificate);
        var payload = "contenu"u8.ToArray();

        var cms = new SignedCms(new ContentInfo(payload), detached: true);
        cms.Decode(Sealer(seal).SealCades(payload));
        cms.CheckSignature(verifySignatureOnly: true);

        var signer = Assert.Single(cms.SignerInfos.Cast<SignerInfo>());
        Assert.Equal("2.16.840.1.101.3.4.2.1", signer.DigestAlgorithm.Value);
        var attributes = signer.SignedAttributes.Cast<CryptographicAttributeObject>().Select(a => a.Oid.Value).ToList();
        Assert.Contains("1.2.840.113549.1.9.16.2.47", attributes);
        var signingTime = signer.SignedAttributes.Cast<CryptographicAttributeObject>().Single(a => a.Oid.Value == "1.2.840.113549.1.9.5");
        Assert.Equal(new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc), ((Pkcs9SigningTime)signingTime.Values[0]).SigningTime);
    }

    [Theory]
    [InlineData("application/xml", PayloadSealFormat.XadesEnveloped)]
    [InlineData("text/xml; charset=ISO-8859-1", PayloadSealFormat.XadesEnveloped)]
    [InlineData("application/vnd.hubee+xml", PayloadSealFormat.XadesEnveloped)]
    [InlineData("application/pdf", PayloadSealFormat.CadesDetached)]
    [InlineData(null, PayloadSealFormat.CadesDetached)]
    public void Seal_ChoosesFormatByMediaType(string? mediaType, PayloadSealFormat expected)
    {
        var (_, sealCertificate) = SharedPki.Get(SealKeyKind.EcdsaP256);
        using var seal = new PlatformSeal(sealCertificate);

        Assert.Equal(expected, Sealer(seal).Seal("<a/>"u8.ToArray(), mediaType).Format);
    }

    private static PayloadSealer Sealer(PlatformSeal seal) =>
        new(seal, new FixedTimeProvider(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero)));

    private static int LastIndexOf(byte[] bytes, ReadOnlySpan<byte> value) => bytes.AsSpan().LastIndexOf(value);

    private static string CorpusRoot()
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
                return Path.GetFullPath(Path.Combine(directory.FullName, "..", "shared", "corpus"));
            }
        }

        throw new DirectoryNotFoundException("Pec.sln was not found above the test binaries; set PEC_CORPUS to the corpus folder.");
    }
}
