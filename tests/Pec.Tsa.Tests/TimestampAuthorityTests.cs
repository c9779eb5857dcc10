using System.Diagnostics;
using System.Formats.Asn1;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;

namespace Pec.Tsa.Tests;

public sealed class TimestampAuthorityTests(TsaFixture fixture) : IClassFixture<TsaFixture>
{
    private static readonly byte[] Document = "<Receipt>horodatage</Receipt>"u8.ToArray();

    [Theory]
    [InlineData("SHA256")]
    [InlineData("SHA384")]
    [InlineData("SHA512")]
    public async Task Request_WithSha2Imprint_GetsTokenThatVerifies(string hash)
    {
        var request = Rfc3161TimestampRequest.CreateFromData(Document, new HashAlgorithmName(hash), nonce: RandomNumberGenerator.GetBytes(8), requestSignerCertificates: true);

        var reply = await PostAsync(request.Encode());

        // ProcessResponse checks the status, the imprint, the nonce and the certificate request.
        var token = request.ProcessResponse(reply, out _);
        Assert.True(token.VerifySignatureForData(Document, out var signer));
        Assert.Equal("CN=PEC TSA Test, O=PEC", signer!.Subject);
        Assert.Equal("2.25.226237775206987741553678930903251518367", token.TokenInfo.PolicyId.Value);
        Assert.InRange(token.TokenInfo.Timestamp, TimeProvider.System.GetUtcNow().AddMinutes(-1), TimeProvider.System.GetUtcNow().AddMinutes(1));
        Assert.False(token.VerifySignatureForData("<Receipt>autre</Receipt>"u8.ToArray(), out _));
    }

    [Fact]
    public async Task Tokens_ManyInARow_AllGranted()
    {
        // Each token draws a random serial number; one out of about 500 draws used to start with a
        // byte that made the DER INTEGER non-minimal, which .NET rejects (HTTP 500).
        for (var i = 0; i < 1500; i++)
        {
            var request = Rfc3161TimestampRequest.CreateFromData(Document, HashAlgorithmName.SHA256, nonce: null, requestSignerCertificates: false);
            var token = request.ProcessResponse(await PostAsync(request.Encode()), out _);
            Assert.True(token.TokenInfo.GetSerialNumber().Span[0] is >= 0x40 and <= 0x7f);
        }
    }

    [Fact]
    public async Task Token_VerifiesWithOpenSslTs()
    {
        var request = Rfc3161TimestampRequest.CreateFromData(Document, HashAlgorithmName.SHA256, nonce: RandomNumberGenerator.GetBytes(8), requestSignerCertificates: true);
        var reply = await PostAsync(request.Encode());
        var dataPath = Path.Combine(fixture.Directory, $"data-{Guid.NewGuid():N}.xml");
        var replyPath = Path.Combine(fixture.Directory, $"reply-{Guid.NewGuid():N}.tsr");
        await File.WriteAllBytesAsync(dataPath, Document);
        await File.WriteAllBytesAsync(replyPath, reply);

        var (exitCode, output) = await RunAsync("openssl", "ts", "-verify", "-data", dataPath, "-in", replyPath, "-CAfile", fixture.CaPath);

        Assert.True(exitCode == 0, $"openssl ts -verify failed: {output}");
        Assert.Contains("Verification: OK", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Request_WithoutCertificateRequest_GetsTokenWithoutCertificate()
    {
        var request = Rfc3161TimestampRequest.CreateFromData(Document, HashAlgorithmName.SHA256, requestSignerCertificates: false);

        var token = request.ProcessResponse(await PostAsync(request.Encode()), out _);

        using var tsa = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(fixture.TsaCertificatePath));
        Assert.Empty(token.AsSignedCms().Certificates);
        Assert.True(token.VerifySignatureForData(Document, out _, [tsa]));
    }

    public static TheoryData<string, byte[], int> Rejected => new()
    {
        // case, request body, expected PKIFailureInfo bit
        { "SHA-1 imprint", Rfc3161TimestampRequest.CreateFromData(Document, HashAlgorithmName.SHA1).Encode(), 0 },
        { "not DER", "not a request"u8.ToArray(), 5 },
        { "empty", [], 5 },
        { "other policy", Rfc3161TimestampRequest.CreateFromData(Document, HashAlgorithmName.SHA256, requestedPolicyId: new Oid("1.2.3.4")).Encode(), 15 },
    };

    [Theory]
    [MemberData(nameof(Rejected))]
    public async Task BadRequest_IsRejectedWithFailureInfo(string name, byte[] body, int failureBit)
    {
        var reply = await PostAsync(body);

        var (status, failure) = ReadStatus(reply);
        Assert.True(status == 2, $"{name}: status {status}");
        Assert.Equal(failureBit, failure);
    }

    [Fact]
    public async Task WrongContentType_Returns415()
    {
        using var client = new HttpClient { BaseAddress = fixture.BaseAddress };
        using var content = new ByteArrayContent(Document);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");

        using var response = await client.PostAsync("/", content);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task OversizedRequest_Returns413()
    {
        using var client = new HttpClient { BaseAddress = fixture.BaseAddress };
        using var content = new StreamContent(new MemoryStream(new byte[100_000]));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/timestamp-query");

        using var response = await client.PostAsync("/", content);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Certificate_WithoutCriticalTimeStampingUsage_IsRejectedAtStart(bool wrongUsage)
    {
        var directory = Directory.CreateTempSubdirectory("pec-tsa-bad-").FullName;
        try
        {
            TestCertificates.WriteCaAndTsa(directory, timeStampingCritical: false, prefix: "");
            if (wrongUsage)
            {
                // Replace the certificate by the CA's, which has no extended key usage at all.
                File.Copy(Path.Combine(directory, "ca.crt"), Path.Combine(directory, "tsa.crt"), overwrite: true);
            }

            var options = Options.Create(new TsaOptions { CertificatePath = Path.Combine(directory, "tsa.crt"), KeyPath = Path.Combine(directory, "tsa.key") });

            Assert.Throws<InvalidOperationException>(() => new TimestampAuthority(options, TimeProvider.System));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private async Task<byte[]> PostAsync(byte[] body)
    {
        using var client = new HttpClient { BaseAddress = fixture.BaseAddress };
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/timestamp-query");
        using var response = await client.PostAsync("/", content);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/timestamp-reply", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadAsByteArrayAsync();
    }

    private static (int Status, int? FailureBit) ReadStatus(byte[] reply)
    {
        var response = new AsnReader(reply, AsnEncodingRules.DER).ReadSequence();
        var statusInfo = response.ReadSequence();
        var status = (int)statusInfo.ReadInteger();
        if (statusInfo.HasData && statusInfo.PeekTag().HasSameClassAndValue(Asn1Tag.Sequence))
        {
            statusInfo.ReadSequence();
        }

        if (!statusInfo.HasData)
        {
            return (status, null);
        }

        var bits = statusInfo.ReadBitString(out _);
        for (var i = 0; i < bits.Length * 8; i++)
        {
            if ((bits[i / 8] & (0x80 >> (i % 8))) != 0)
            {
                return (status, i);
            }
        }

        return (status, null);
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }
}
