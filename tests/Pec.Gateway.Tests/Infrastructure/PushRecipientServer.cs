using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Pec.Signing.HttpSignatures;

namespace Pec.Gateway.Tests.Infrastructure;

/// <summary>What a test recipient answers to one request: status, optional body, optional delay first.</summary>
public sealed record PushAnswer(int Status, string? Body = null, TimeSpan Delay = default);

/// <summary>One request a test recipient received, with what it checked.</summary>
public sealed record ReceivedPush(
    string Recipient, Guid FlowId, string BodySha256, string? DigestError, string? SignatureError, string? TraceParent,
    string? ClientCertificateSubject, int AnsweredStatus, long Sequence, DateTimeOffset At);

/// <summary>
/// Recipients' HTTPS endpoints for push delivery tests, on 127.0.0.1: mutual TLS (the client must
/// present a certificate of the test CA), RFC 9421 signature checked against the test seal, body
/// digest checked against Content-Digest. Each recipient's behaviour is a function of how many
/// times it has seen the same flow; by default it answers 200.
/// </summary>
public sealed class PushRecipientServer : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Func<Guid, int, PushAnswer>> _behaviours = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string, Guid), int> _seen = new();
    private readonly ConcurrentQueue<ReceivedPush> _received = new();
    private readonly X509Certificate2 _seal;
    private readonly X509Certificate2 _ca;
    private WebApplication? _app;
    private long _sequence;

    public PushRecipientServer(TestPki pki)
    {
        ArgumentNullException.ThrowIfNull(pki);
        _seal = X509CertificateLoader.LoadCertificateFromFile(pki.PathOf("seal.crt"));
        _ca = X509CertificateLoader.LoadCertificateFromFile(pki.CaPath);
        ServerCertificatePath = pki.PathOf("gateway.crt");
        ServerKeyPath = pki.PathOf("gateway.key");
    }

    public string ServerCertificatePath { get; }

    public string ServerKeyPath { get; }

    /// <summary>Port chosen when started; fixed afterwards, so the server can be stopped and started again on it.</summary>
    public int Port { get; private set; }

    public IReadOnlyCollection<ReceivedPush> Received => _received;

    public Uri UrlFor(string recipient) => new($"https://127.0.0.1:{Port}/inbox/{recipient}");

    /// <summary>Sets how <paramref name="recipient"/> answers, from how many times it has seen the same flow (1 for the first).</summary>
    public void Behave(string recipient, Func<int, PushAnswer> behaviour) => _behaviours[recipient] = (_, seen) => behaviour(seen);

    /// <summary>Sets how <paramref name="recipient"/> answers, from the flow id and how many times it has seen it.</summary>
    public void Behave(string recipient, Func<Guid, int, PushAnswer> behaviour) => _behaviours[recipient] = behaviour;

    public IReadOnlyList<ReceivedPush> ReceivedBy(string recipient) => [.. _received.Where(r => r.Recipient == recipient).OrderBy(r => r.Sequence)];

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.Logging.ClearProviders();
        using var pem = X509Certificate2.CreateFromPemFile(ServerCertificatePath, ServerKeyPath);
        var certificate = X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureHttpsDefaults(https =>
        {
            https.ServerCertificate = certificate;
            https.ClientCertificateMode = ClientCertificateMode.RequireCertificate;
            https.ClientCertificateValidation = (client, _, _) => ChainsToCa(client);
        }));
        builder.WebHost.UseUrls($"https://127.0.0.1:{Port}");
        _app = builder.Build();
        _app.MapPost("/inbox/{recipient}", HandleAsync);
        await _app.StartAsync();
        Port = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single()).Port;
    }

    public async Task StopAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
            _app = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _seal.Dispose();
        _ca.Dispose();
    }

    private async Task HandleAsync(HttpContext context, string recipient)
    {
        var request = context.Request;
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, context.RequestAborted);
        var sha = SHA256.HashData(buffer.ToArray());
        var digest = request.Headers["Content-Digest"].ToString();
        var digestError = digest == HttpSignatureBase.ContentDigest(sha) ? null : $"Content-Digest '{digest}' does not match the body";
        var components = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["@method"] = request.Method,
            ["@target-uri"] = $"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}{request.QueryString}",
            ["content-digest"] = digest,
            ["content-type"] = request.ContentType ?? "",
            ["pec-flow-id"] = request.Headers["Pec-Flow-Id"].ToString(),
            ["pec-flow-type"] = request.Headers["Pec-Flow-Type"].ToString(),
            ["pec-sender"] = request.Headers["Pec-Sender"].ToString(),
            ["pec-recipient"] = request.Headers["Pec-Recipient"].ToString(),
        };
        var signatureError = HttpMessageVerifier.Verify(
            request.Headers["Signature-Input"], request.Headers["Signature"], components, [_seal], TimeProvider.System.GetUtcNow(), TimeSpan.FromMinutes(5));
        if (components["pec-recipient"] != recipient)
        {
            signatureError ??= "Pec-Recipient does not name this endpoint";
        }

        _ = Guid.TryParse(components["pec-flow-id"], out var flowId);
        var count = _seen.AddOrUpdate((recipient, flowId), 1, (_, n) => n + 1);
        var answer = signatureError is null && digestError is null
            ? _behaviours.GetValueOrDefault(recipient)?.Invoke(flowId, count) ?? new PushAnswer(200)
            : new PushAnswer(400);
        if (answer.Delay > TimeSpan.Zero)
        {
            await Task.Delay(answer.Delay, context.RequestAborted);
        }

        _received.Enqueue(new ReceivedPush(
            recipient, flowId, Convert.ToHexStringLower(sha), digestError, signatureError, request.Headers["traceparent"].ToString(),
            context.Connection.ClientCertificate?.Subject, answer.Status, Interlocked.Increment(ref _sequence), TimeProvider.System.GetUtcNow()));
        context.Response.StatusCode = answer.Status;
        if (answer.Body is { } body)
        {
            context.Response.ContentType = "application/xml";
            await context.Response.WriteAsync(body, context.RequestAborted);
        }
    }

    private bool ChainsToCa(X509Certificate2 client)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(_ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(client);
    }
}
