using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using System.Xml.Linq;
using Pec.Gateway.Tests.Infrastructure;
using Pec.Signing.Receipts;
using Xunit.Abstractions;

namespace Pec.Gateway.Tests.Flows;

/// <summary>
/// The public sample documents travel end to end through the real gateway, RabbitMQ and
/// PostgreSQL: post, route, fetch, acknowledge, then every receipt is checked with xmlsec1.
/// </summary>
[Collection(GatewayTestGroup.Name)]
public sealed class CorpusEndToEndTests(GatewayFixture fixture, ITestOutputHelper output)
{
    private static readonly XNamespace ReceiptNs = "urn:pec:receipt:v1";

    public static TheoryData<string, string, string, string, string> CorpusFlows => new()
    {
        // file under the corpus, flow type, sender, recipient, Content-Type as the sender declares it.
        // actes.transmission requires RGS**: those files are signed by the commune's agent before posting.
        { "hubee/etat-civil-demande-acte.xml", "etat-civil.demande-acte", "DILA", "COMMUNE-06088", "application/xml" },
        { "hubee/recensement-citoyen.xml", "recensement-citoyen.declaration", "DILA", "COMMUNE-06088", "application/xml" },
        { "hubee/depot-dossier-pacs.xml", "pacs.depot-dossier", "DILA", "COMMUNE-06088", "application/xml" },
        // ISO-8859-1 with CRLF line ends: must arrive byte for byte, never re-encoded.
        { "hubee/certdc-va-iso-8859-1.xml", "deces.certificat", "DILA", "COMMUNE-06088", "application/xml; charset=ISO-8859-1" },
        { "hubee/otv-test1.json", "tranquillite-vacances.demande", "DILA", "COMMUNE-06088", "application/json" },
        { "actes/EACT--SPREF0441-214400152-20181012-9.xml", "actes.transmission", "COMMUNE-214400152", "PREF-44", "application/xml; charset=ISO-8859-1" },
        { "actes/044-214400152----1-3_1.xml", "actes.transmission", "COMMUNE-214400152", "PREF-44", "application/xml; charset=ISO-8859-1" },
        { "actes/006-210600235-20180522-684-AI-1-2_5279.xml", "actes.transmission", "COMMUNE-214400152", "PREF-44", "application/xml; charset=ISO-8859-1" },
        // Fails the ACTES schema on purpose; PEC carries it unchanged, since schema checks are the recipient's.
        { "actes/ANO_EACT--214400152--20180925-1.xml", "actes.transmission", "COMMUNE-214400152", "PREF-44", "application/xml; charset=ISO-8859-1" },
    };

    [Theory]
    [MemberData(nameof(CorpusFlows))]
    public async Task CorpusFile_TravelsUnchanged_WithThreeVerifiedReceipts(string file, string flowType, string sender, string recipient, string contentType)
    {
        var payload = await File.ReadAllBytesAsync(Path.Combine(TestEnvironment.Corpus, file));
        var signed = flowType == "actes.transmission";
        if (signed)
        {
            payload = XmlTestSigner.SignEnveloped(payload, fixture.Pki.Signer(sender));
        }

        var sha256 = Convert.ToHexStringLower(SHA256.HashData(payload));
        using var senderClient = fixture.CreateClient(sender);
        using var recipientClient = fixture.CreateClient(recipient);
        using var auditor = fixture.CreateClient("AUDIT");

        var clock = Stopwatch.StartNew();
        var flowId = await FlowApi.PostAcceptedAsync(senderClient, flowType, recipient, payload, contentType);
        var posted = clock.Elapsed;
        var entry = await FlowApi.WaitInMailboxAsync(recipientClient, flowId, TimeSpan.FromSeconds(30));
        var inMailbox = clock.Elapsed;
        output.WriteLine($"{file}: {payload.Length} bytes, POST answered in {posted.TotalMilliseconds:F0} ms, in the mailbox after {inMailbox.TotalMilliseconds:F0} ms");

        Assert.Equal(sha256, entry.GetProperty("flow").GetProperty("payload").GetProperty("sha256").GetString());
        Assert.Equal("available", entry.GetProperty("deliveryStatus").GetString());

        using var fetched = await recipientClient.GetAsync($"/api/v1/mailbox/{flowId}/payload");
        Assert.Equal(HttpStatusCode.OK, fetched.StatusCode);
        var received = await fetched.Content.ReadAsByteArrayAsync();
        Assert.Equal(payload, received);
        Assert.Equal($"sha-256=:{Convert.ToBase64String(SHA256.HashData(payload))}:", fetched.Headers.GetValues("Repr-Digest").Single());
        Assert.Equal(contentType, fetched.Content.Headers.ContentType!.ToString(), ignoreCase: true);

        using var ack = await recipientClient.PostAsync($"/api/v1/mailbox/{flowId}/ack", content: null);
        Assert.Equal(HttpStatusCode.OK, ack.StatusCode);

        var receipts = await auditor.GetFromJsonAsync<JsonElement>($"/api/v1/flows/{flowId}/receipts");
        var items = receipts.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["deposit", "delivery", "acknowledgement"], items.Select(i => i.GetProperty("kind").GetString()!).ToArray());
        foreach (var item in items)
        {
            var receiptId = item.GetProperty("receiptId").GetGuid();
            var document = await auditor.GetByteArrayAsync($"/api/v1/flows/{flowId}/receipts/{receiptId}");
            var (exitCode, xmlsecOutput) = await Xmlsec.VerifyAsync(document, fixture.Pki.CaPath);
            Assert.True(exitCode == 0, $"xmlsec1 rejected the {item.GetProperty("kind")} receipt of {file}: {xmlsecOutput}");
            AssertReceiptFields(document, receiptId, flowId, flowType, sender, recipient, sha256, payload.Length, item.GetProperty("kind").GetString()!);

            // PEC's own verifier reads the same fields back, the sender's verified signature included.
            var verified = new ReceiptVerifier(TimeProvider.System, new ReceiptVerifierOptions { TrustedTsaCertificates = [fixture.Pki.Ca] })
                .Verify(document, [fixture.Pki.Ca]);
            Assert.True(verified.IsValid, verified.FailureReason);
            Assert.Equal(flowId, verified.Receipt.FlowId);
            if (signed)
            {
                Assert.Equal("RGS**", verified.Receipt.PayloadSignature?.Level);
                Assert.Contains($"Agent signataire {sender}", verified.Receipt.PayloadSignature?.Subject, StringComparison.Ordinal);
            }
            else
            {
                Assert.Null(verified.Receipt.PayloadSignature);
            }
        }

        var view = await auditor.GetFromJsonAsync<JsonElement>($"/api/v1/flows/{flowId}");
        Assert.Equal("acknowledged", view.GetProperty("flow").GetProperty("status").GetString());
        var signature = view.GetProperty("flow").GetProperty("signature");
        if (signed)
        {
            Assert.Equal("RGS**", signature.GetProperty("levelMet").GetString());
            Assert.Contains($"Agent signataire {sender}", signature.GetProperty("signerSubject").GetString(), StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal(JsonValueKind.Null, signature.ValueKind);
        }

        // Timestamps are added in the background, so receipt.timestamped entries may come at any point.
        Assert.Equal(
            ["flow.accepted", "receipt.issued", "flow.routed", "flow.delivered", "receipt.issued", "flow.acknowledged", "receipt.issued"],
            view.GetProperty("timeline").EnumerateArray().Select(e => e.GetProperty("event").GetString()!)
                .Where(e => e != "receipt.timestamped").ToArray());
    }

    [Fact]
    public async Task AuditorSearch_ListsCorpusFlows_ForEachSender()
    {
        using var dila = fixture.CreateClient("DILA");
        using var commune = fixture.CreateClient("COMMUNE-214400152");
        using var auditor = fixture.CreateClient("AUDIT");
        var json = await File.ReadAllBytesAsync(Path.Combine(TestEnvironment.Corpus, "hubee/otv-test1.json"));
        var actes = XmlTestSigner.SignEnveloped(
            await File.ReadAllBytesAsync(Path.Combine(TestEnvironment.Corpus, "actes/EACT--SPREF0441-214400152-20181012-9.xml")),
            fixture.Pki.Signer("COMMUNE-214400152"));
        var fromDila = await FlowApi.PostAcceptedAsync(dila, "tranquillite-vacances.demande", "COMMUNE-06088", json, "application/json");
        var fromCommune = await FlowApi.PostAcceptedAsync(commune, "actes.transmission", "PREF-44", actes, "application/xml; charset=ISO-8859-1");

        var dilaFlows = await SearchAllAsync(auditor, "sender=DILA");
        var prefectureFlows = await SearchAllAsync(auditor, "recipient=PREF-44&flowType=actes.transmission");

        Assert.Contains(fromDila, dilaFlows.Select(f => f.GetProperty("flowId").GetGuid()));
        Assert.DoesNotContain(fromCommune, dilaFlows.Select(f => f.GetProperty("flowId").GetGuid()));
        Assert.All(dilaFlows, f => Assert.Equal("DILA", f.GetProperty("sender").GetString()));
        Assert.Contains(fromCommune, prefectureFlows.Select(f => f.GetProperty("flowId").GetGuid()));
        Assert.All(prefectureFlows, f => Assert.Equal("actes.transmission", f.GetProperty("flowType").GetString()));
    }

    private static async Task<List<JsonElement>> SearchAllAsync(HttpClient auditor, string filter)
    {
        var all = new List<JsonElement>();
        string? cursor = null;
        do
        {
            var page = await auditor.GetFromJsonAsync<JsonElement>($"/api/v1/audit/flows?{filter}&limit=2{(cursor is null ? "" : "&cursor=" + cursor)}");
            all.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.Clone()));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        Assert.Equal(all.Count, all.Select(f => f.GetProperty("flowId").GetGuid()).Distinct().Count());
        return all;
    }

    private static void AssertReceiptFields(byte[] document, Guid receiptId, Guid flowId, string flowType, string sender, string recipient, string sha256, long size, string kind)
    {
        var root = XDocument.Load(new MemoryStream(document)).Root!;
        Assert.Equal(ReceiptNs + "Receipt", root.Name);
        Assert.Equal(receiptId.ToString(), root.Element(ReceiptNs + "ReceiptId")!.Value);
        Assert.Equal(kind, root.Element(ReceiptNs + "Kind")!.Value);
        Assert.Equal(flowId.ToString(), root.Element(ReceiptNs + "FlowId")!.Value);
        Assert.Equal(flowType, root.Element(ReceiptNs + "FlowType")!.Value);
        Assert.Equal(sender, root.Element(ReceiptNs + "Sender")!.Value);
        Assert.Equal([recipient], root.Element(ReceiptNs + "Recipients")!.Elements(ReceiptNs + "Recipient").Select(e => e.Value).ToArray());
        var payload = root.Element(ReceiptNs + "Payload")!;
        Assert.Equal(sha256, payload.Element(ReceiptNs + "Sha256")!.Value);
        Assert.Equal(size.ToString(System.Globalization.CultureInfo.InvariantCulture), payload.Element(ReceiptNs + "Size")!.Value);
        Assert.NotNull(root.Element(ReceiptNs + "EventTime"));
    }
}
