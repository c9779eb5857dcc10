using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Pec.Signing.Tests.Support;
using Pec.Signing.Tests.Verification.Support;
using Pec.Signing.Verification;

namespace Pec.Signing.Tests.Verification;

/// <summary>
/// Proves that nothing a payload names is fetched: URLs point to a listener on 127.0.0.1 that must see no
/// connection, and file paths to a FIFO that would block any reader until the test times out.
/// </summary>
public sealed class NoFetchTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Verify_HttpReferenceAndDtd_OpenNoConnection()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var url = $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/x";
        var pki = TestPolicy.Shared;
        var verifier = pki.Verifier();
        var signed = DocumentSigner.Sign(SampleDocuments.Request(), pki.Rsa3072);

        var reference = verifier.Verify(XmlEdits.Edit(signed, d => XmlEdits.Dsig(d, "Reference").SetAttribute("URI", url)), SignatureLevels.RgsOneStar);
        var externalDtd = verifier.Verify(Encoding.UTF8.GetBytes($"<!DOCTYPE r SYSTEM \"{url}\"><r/>"), SignatureLevels.RgsOneStar);
        var externalEntity = verifier.Verify(
            Encoding.UTF8.GetBytes($"<!DOCTYPE r [<!ENTITY e SYSTEM \"{url}\">]><r>&e;</r>"), SignatureLevels.RgsOneStar);
        var retrievalMethod = verifier.Verify(
            XmlEdits.Edit(signed, d =>
            {
                // KeyInfo is not signed: an attacker can add a RetrievalMethod without breaking the signature.
                var method = d.CreateElement("RetrievalMethod", XmlEdits.Ds);
                method.SetAttribute("URI", url);
                XmlEdits.Dsig(d, "KeyInfo").AppendChild(method);
            }),
            SignatureLevels.RgsOneStar);
        await Task.Delay(TimeSpan.FromMilliseconds(200));

        Assert.False(listener.Pending(), "the verifier connected to a URL named by the payload");
        Assert.Equal(SignatureReasons.ExternalReference, reference.Reason);
        Assert.Equal(SignatureReasons.DtdForbidden, externalDtd.Reason);
        Assert.Equal(SignatureReasons.DtdForbidden, externalEntity.Reason);
        Assert.True(retrievalMethod.IsValid, retrievalMethod.ToString());
    }

    [Fact]
    public async Task Verify_FileReferenceAndEntity_OpenNoFile()
    {
        using var temp = new TempDirectory();
        var fifo = temp.File("fifo");
        var mkfifo = await ExternalTool.RunAsync("mkfifo", temp.Path, fifo);
        Assert.True(mkfifo.ExitCode == 0, mkfifo.ToString());
        var pki = TestPolicy.Shared;
        var verifier = pki.Verifier();
        var signed = DocumentSigner.Sign(SampleDocuments.Request(), pki.Rsa3072);
        var fileUri = new Uri(fifo).AbsoluteUri;

        // Opening a FIFO for reading blocks until a writer comes, and none ever does: a verifier that opened
        // the file would not return before the timeout.
        var verification = Task.Run(() => new[]
        {
            verifier.Verify(XmlEdits.Edit(signed, d => XmlEdits.Dsig(d, "Reference").SetAttribute("URI", fileUri)), SignatureLevels.RgsOneStar),
            verifier.Verify(Encoding.UTF8.GetBytes($"<!DOCTYPE r [<!ENTITY e SYSTEM \"{fileUri}\">]><r>&e;</r>"), SignatureLevels.RgsOneStar),
        });
        var finished = await Task.WhenAny(verification, Task.Delay(Timeout));

        Assert.Same(verification, finished);
        var verdicts = await verification;
        Assert.Equal(SignatureReasons.ExternalReference, verdicts[0].Reason);
        Assert.Equal(SignatureReasons.DtdForbidden, verdicts[1].Reason);
    }

    [Fact]
    public void Verify_EntityExpansionBomb_IsDtdForbidden()
    {
        var entities = new StringBuilder("<!DOCTYPE r [<!ENTITY a0 \"bombe\">");
        for (var i = 1; i < 30; i++)
        {
            entities.Append(CultureInfoInvariant($"<!ENTITY a{i} \"&a{i - 1};&a{i - 1};\">"));
        }

        var bomb = Encoding.UTF8.GetBytes(entities + "]><r>&a29;</r>");
        var stopwatch = Stopwatch.StartNew();

        var verdict = TestPolicy.Shared.Verifier().Verify(bomb, SignatureLevels.RgsOneStar);

        Assert.Equal(SignatureReasons.DtdForbidden, verdict.Reason);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5), $"took {stopwatch.Elapsed}");
    }

    private static string CultureInfoInvariant(FormattableString text) => FormattableString.Invariant(text);
}
