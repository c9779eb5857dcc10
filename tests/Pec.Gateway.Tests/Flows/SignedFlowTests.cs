using System.Net;
using System.Text;
using Pec.Gateway.Tests.Infrastructure;

namespace Pec.Gateway.Tests.Flows;

/// <summary>
/// actes.transmission requires RGS**: the signature of each ACTES message is verified before the
/// flow is accepted, and a refusal names the rule that failed and leaves an audit entry.
/// </summary>
[Collection(GatewayTestGroup.Name)]
public sealed class SignedFlowTests(GatewayFixture fixture)
{
    private const string ActesFile = "actes/044-214400152----1-3_1.xml";

    [Fact]
    public async Task UnsignedActes_IsRejectedAndAudited()
    {
        var message = await File.ReadAllBytesAsync(Path.Combine(TestEnvironment.Corpus, ActesFile));

        await AssertRejectedAsync(message, "signature-missing-signature");
    }

    [Fact]
    public async Task TamperedActes_IsRejectedAsDigestMismatch()
    {
        var signed = XmlTestSigner.SignEnveloped(
            await File.ReadAllBytesAsync(Path.Combine(TestEnvironment.Corpus, ActesFile)), fixture.Pki.Signer("COMMUNE-214400152"));
        var text = Encoding.Latin1.GetString(signed);
        var tampered = Encoding.Latin1.GetBytes(text.Replace("<actes:Nature>002</actes:Nature>", "<actes:Nature>001</actes:Nature>", StringComparison.Ordinal));
        Assert.NotEqual(signed, tampered);

        await AssertRejectedAsync(tampered, "signature-digest-mismatch");
    }

    [Fact]
    public async Task ActesSignedByRevokedCertificate_IsRejected()
    {
        var signed = XmlTestSigner.SignEnveloped(
            await File.ReadAllBytesAsync(Path.Combine(TestEnvironment.Corpus, ActesFile)), fixture.Pki.Signer(TestPki.RevokedSigner));

        await AssertRejectedAsync(signed, "signature-certificate-revoked");
    }

    [Fact]
    public async Task ActesSignedWithoutNonRepudiation_IsRejected()
    {
        var signed = XmlTestSigner.SignEnveloped(
            await File.ReadAllBytesAsync(Path.Combine(TestEnvironment.Corpus, ActesFile)), fixture.Pki.Signer(TestPki.NoNonRepudiationSigner));

        await AssertRejectedAsync(signed, "signature-key-usage");
    }

    [Theory]
    [InlineData("trusted-lists/eu-lotl-no-sig.xml", "signature-missing-signature")]
    [InlineData("trusted-lists/eu-lotl-broken-sig.xml", "signature-digest-mismatch")]
    // Valid signature by a signer PEC does not trust for RGS**.
    [InlineData("trusted-lists/fr-tl.xml", "signature-untrusted-chain")]
    [InlineData("xades-attacks/XSW-enveloped-fake-content.xml", "signature-wrapping")]
    [InlineData("xades-attacks/XSW-enveloping-fake-object.xml", "signature-wrapping")]
    [InlineData("xades-attacks/xades-tampered-reference.xml", "signature-digest-mismatch")]
    [InlineData("xades-attacks/xades-wrong-sign-cert-digest.xml", "signature-signing-certificate-mismatch")]
    [InlineData("xades-attacks/xades-with-dtd-injection.xml", "signature-dtd-forbidden")]
    public async Task CorpusSignedDocument_UnderSignedFlowType_IsRejectedWithReason(string file, string slug)
    {
        var document = await File.ReadAllBytesAsync(Path.Combine(TestEnvironment.Corpus, file));

        // These documents declare UTF-8, so they are sent without a charset parameter.
        await AssertRejectedAsync(document, slug, "application/xml");
    }

    [Fact]
    public async Task SignedActesWithCommentAfterRoot_IsRejectedAsWrapping()
    {
        var signed = XmlTestSigner.SignEnveloped(
            await File.ReadAllBytesAsync(Path.Combine(TestEnvironment.Corpus, ActesFile)), fixture.Pki.Signer("COMMUNE-214400152"));
        var withComment = signed.Concat(Encoding.Latin1.GetBytes("<!-- contenu non signé -->")).ToArray();

        await AssertRejectedAsync(withComment, "signature-wrapping");
    }

    [Fact]
    public async Task SignedActesWithObjectInSignature_IsRejectedAsWrapping()
    {
        var signed = Encoding.Latin1.GetString(XmlTestSigner.SignEnveloped(
            await File.ReadAllBytesAsync(Path.Combine(TestEnvironment.Corpus, ActesFile)), fixture.Pki.Signer("COMMUNE-214400152")));
        var injected = signed.Replace("</Signature>", "<Object><evil>contenu non signé</evil></Object></Signature>", StringComparison.Ordinal);
        Assert.NotEqual(signed, injected);

        await AssertRejectedAsync(Encoding.Latin1.GetBytes(injected), "signature-wrapping");
    }

    [Theory]
    [InlineData("application/xml; charset=utf-8")]
    [InlineData("application/xml; charset=EBCDIC-xyz")]
    public async Task SignedActesWithContradictingCharset_IsRejected(string contentType)
    {
        using var commune = fixture.CreateClient("COMMUNE-214400152");
        var signed = XmlTestSigner.SignEnveloped(
            await File.ReadAllBytesAsync(Path.Combine(TestEnvironment.Corpus, ActesFile)), fixture.Pki.Signer("COMMUNE-214400152"));

        using var response = await FlowApi.PostFlowAsync(commune, "actes.transmission", "PREF-44", signed, contentType);

        await FlowApi.AssertProblemAsync(response, HttpStatusCode.BadRequest, "charset-mismatch");
    }

    [Fact]
    public async Task SignedActes_IsAcceptedWithSignerEvidence()
    {
        using var commune = fixture.CreateClient("COMMUNE-214400152");
        var signed = XmlTestSigner.SignEnveloped(
            await File.ReadAllBytesAsync(Path.Combine(TestEnvironment.Corpus, ActesFile)), fixture.Pki.Signer("COMMUNE-214400152"));

        var flowId = await FlowApi.PostAcceptedAsync(commune, "actes.transmission", "PREF-44", signed, "application/xml; charset=ISO-8859-1");

        Assert.Equal(1, await fixture.CountAsync($"select count(*) from flows where id = '{flowId}' and signature->>'levelMet' = 'RGS**'"));
    }

    private async Task AssertRejectedAsync(byte[] payload, string slug, string contentType = "application/xml; charset=ISO-8859-1")
    {
        using var commune = fixture.CreateClient("COMMUNE-214400152");
        var flowsBefore = await fixture.CountAsync("select count(*) from flows");
        var auditBefore = await fixture.CountAsync($"select count(*) from audit_log where event = 'flow.rejected' and details->>'problemType' = 'urn:pec:problem:{slug}'");

        using var response = await FlowApi.PostFlowAsync(commune, "actes.transmission", "PREF-44", payload, contentType);

        await FlowApi.AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity, slug);
        Assert.Equal(flowsBefore, await fixture.CountAsync("select count(*) from flows"));
        Assert.Equal(auditBefore + 1, await fixture.CountAsync($"select count(*) from audit_log where event = 'flow.rejected' and details->>'problemType' = 'urn:pec:problem:{slug}'"));
    }
}
