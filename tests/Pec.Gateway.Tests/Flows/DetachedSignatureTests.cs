using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Pec.Gateway.Tests.Infrastructure;

namespace Pec.Gateway.Tests.Flows;

/// <summary>Binary payloads carry a detached CAdES signature, JSON payloads a detached JWS, both in <c>Pec-Signature</c>.</summary>
[Collection(GatewayTestGroup.Name)]
public sealed class DetachedSignatureTests(GatewayFixture fixture)
{
    private const string FlowType = "test.document-signe";
    private static readonly byte[] Pdf = Encoding.ASCII.GetBytes("%PDF-1.7\n% délibération signée\n%%EOF\n");

    [Fact]
    public async Task CadesSignedBinary_IsAccepted()
    {
        using var response = await PostAsync(Pdf, "application/pdf", Convert.ToBase64String(SignCades(Pdf)));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task BinaryWithoutSignature_IsRejected()
    {
        using var response = await PostAsync(Pdf, "application/pdf", signature: null);

        await FlowApi.AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity, "signature-missing-signature");
    }

    [Fact]
    public async Task CadesOverOtherBytes_IsRejected()
    {
        var signature = SignCades(Pdf);
        var altered = Encoding.ASCII.GetBytes("%PDF-1.7\n% autre contenu\n%%EOF\n");

        using var response = await PostAsync(altered, "application/pdf", Convert.ToBase64String(signature));

        await FlowApi.AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity, "signature-digest-mismatch");
    }

    [Theory]
    [InlineData("pas du base64 !")]
    [InlineData("AAAA")]
    public async Task UnreadableSignatureHeader_IsRejected(string header)
    {
        using var response = await PostAsync(Pdf, "application/pdf", header);

        await FlowApi.AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity, "signature-malformed-signature");
    }

    [Fact]
    public async Task JwsSignedJson_IsAccepted()
    {
        var json = """{"demande":"tranquillité vacances"}"""u8.ToArray();

        using var response = await PostAsync(json, "application/json", SignJws(json));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task JwsOverOtherJson_IsRejected()
    {
        var signature = SignJws("""{"a":1}"""u8.ToArray());

        using var response = await PostAsync("""{"a":2}"""u8.ToArray(), "application/json", signature);

        await FlowApi.AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity, "signature-signature-mismatch");
    }

    [Fact]
    public async Task DetachedXmlSignature_IsAccepted()
    {
        var xml = "<deliberation>budget</deliberation>"u8.ToArray();

        using var response = await PostAsync(xml, "application/xml", Convert.ToBase64String(SignDetachedXml(xml)));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task DetachedXmlSignatureOverOtherBytes_IsRejected()
    {
        var signature = SignDetachedXml("<deliberation>budget</deliberation>"u8.ToArray());

        using var response = await PostAsync("<deliberation>autre</deliberation>"u8.ToArray(), "application/xml", Convert.ToBase64String(signature));

        await FlowApi.AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity, "signature-digest-mismatch");
    }

    // A detached XML-DSig whose one reference names the payload by a bare file name and digests its raw bytes.
    private byte[] SignDetachedXml(byte[] payload)
    {
        var certificate = fixture.Pki.Signer("COMMUNE-214400152");
        var signedXml = new System.Security.Cryptography.Xml.SignedXml { SigningKey = certificate.GetRSAPrivateKey() };
        signedXml.SignedInfo!.CanonicalizationMethod = System.Security.Cryptography.Xml.SignedXml.XmlDsigExcC14NTransformUrl;
        signedXml.SignedInfo.SignatureMethod = System.Security.Cryptography.Xml.SignedXml.XmlDsigRSASHA256Url;
        var reference = new System.Security.Cryptography.Xml.Reference(new MemoryStream(payload))
        {
            Uri = "deliberation.xml",
            DigestMethod = System.Security.Cryptography.Xml.SignedXml.XmlDsigSHA256Url,
        };
        signedXml.AddReference(reference);
        var keyInfo = new System.Security.Cryptography.Xml.KeyInfo();
        keyInfo.AddClause(new System.Security.Cryptography.Xml.KeyInfoX509Data(certificate));
        signedXml.KeyInfo = keyInfo;
        signedXml.ComputeSignature();
        return Encoding.UTF8.GetBytes(signedXml.GetXml().OuterXml);
    }

    private async Task<HttpResponseMessage> PostAsync(byte[] payload, string contentType, string? signature)
    {
        using var client = fixture.CreateClient("COMMUNE-214400152");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/flows") { Content = new ByteArrayContent(payload) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        request.Headers.Add("Pec-Flow-Type", FlowType);
        request.Headers.Add("Pec-Recipients", "PREF-44");
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        if (signature is not null)
        {
            request.Headers.TryAddWithoutValidation("Pec-Signature", signature);
        }

        return await client.SendAsync(request);
    }

    private byte[] SignCades(byte[] content)
    {
        var cms = new SignedCms(new ContentInfo(content), detached: true);
        var signer = new CmsSigner(fixture.Pki.Signer("COMMUNE-214400152")) { DigestAlgorithm = new Oid("2.16.840.1.101.3.4.2.1") };
        signer.SignedAttributes.Add(new Pkcs9SigningTime(TimeProvider.System.GetUtcNow().UtcDateTime));
        cms.ComputeSignature(signer);
        return cms.Encode();
    }

    // RFC 7515 appendix F: the compact serialization with an empty payload part; x5c names the signer.
    private string SignJws(byte[] payload)
    {
        var certificate = fixture.Pki.Signer("COMMUNE-214400152");
        var header = $$"""{"alg":"RS256","x5c":["{{Convert.ToBase64String(certificate.RawData)}}"]}""";
        var protectedHeader = Base64Url(Encoding.UTF8.GetBytes(header));
        var signingInput = Encoding.ASCII.GetBytes(protectedHeader + "." + Base64Url(payload));
        var signature = certificate.GetRSAPrivateKey()!.SignData(signingInput, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return protectedHeader + ".." + Base64Url(signature);
    }

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
