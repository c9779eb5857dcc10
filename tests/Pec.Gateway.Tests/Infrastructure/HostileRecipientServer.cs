using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Pec.Gateway.Tests.Infrastructure;

/// <summary>What a hostile recipient writes back on the raw TLS stream once it has read a request.</summary>
public delegate Task HostileAnswer(Stream connection, CancellationToken cancellationToken);

/// <summary>
/// Push recipients that misbehave below what Kestrel allows: endpoints on 127.0.0.1 presenting a
/// certificate of another CA, for another name, with the clientAuth usage only, or through an
/// intermediate CA; one that accepts TCP connections and never speaks; and a trusted endpoint
/// whose answers are raw bytes written by the test (odd status codes, endless or slow bodies).
/// Every connection ends after <see cref="ConnectionLimit"/> at the latest.
/// </summary>
public sealed class HostileRecipientServer : IAsyncDisposable
{
    public static readonly TimeSpan ConnectionLimit = TimeSpan.FromSeconds(20);

    private readonly Dictionary<HostileEndpoint, (TcpListener Listener, SslStreamCertificateContext? Certificate)> _endpoints = [];
    private readonly ConcurrentDictionary<string, Func<int, HostileAnswer>> _answers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string, Guid), int> _seen = new();
    private readonly ConcurrentQueue<(string Recipient, Guid FlowId)> _received = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _loops = [];
    private readonly TestPki _pki;

    public HostileRecipientServer(TestPki pki)
    {
        ArgumentNullException.ThrowIfNull(pki);
        _pki = pki;
    }

    public void Start()
    {
        foreach (var endpoint in Enum.GetValues<HostileEndpoint>())
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            _endpoints[endpoint] = (listener, CertificateFor(endpoint));
            _loops.Add(AcceptAsync(endpoint));
        }
    }

    public Uri UrlFor(HostileEndpoint endpoint, string recipient) =>
        new($"https://127.0.0.1:{((IPEndPoint)_endpoints[endpoint].Listener.LocalEndpoint).Port}/inbox/{recipient}");

    /// <summary>Sets what <paramref name="recipient"/> answers, from how many times it has seen the same flow (1 for the first).</summary>
    public void Answer(string recipient, Func<int, HostileAnswer> answer) => _answers[recipient] = answer;

    /// <summary>Flows whose request reached <paramref name="recipient"/>'s HTTP layer (after TLS, headers and body read).</summary>
    public IReadOnlyList<Guid> ReceivedBy(string recipient) => [.. _received.Where(r => r.Recipient == recipient).Select(r => r.FlowId)];

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        foreach (var (listener, certificate) in _endpoints.Values)
        {
            listener.Stop();
            certificate?.TargetCertificate.Dispose();
        }

        await Task.WhenAll(_loops).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stopping.Dispose();
    }

    // Helpers for answers.

    public static HostileAnswer Raw(string text) => (stream, token) => stream.WriteAsync(Encoding.ASCII.GetBytes(text), token).AsTask();

    public static HostileAnswer Status(int status, string reason = "X", string? body = null, string headers = "") =>
        Raw($"HTTP/1.1 {status} {reason}\r\n{headers}Content-Type: text/plain\r\nContent-Length: {Encoding.UTF8.GetByteCount(body ?? "")}\r\nConnection: close\r\n\r\n{body}");

    /// <summary>Reads the request and never answers, until the client gives up or the connection limit passes.</summary>
    public static HostileAnswer Silence() => (_, token) => Task.Delay(ConnectionLimit, token);

    /// <summary>A 2xx whose body is <paramref name="size"/> bytes, sent as fast as the client reads.</summary>
    public static HostileAnswer LargeBody(long size) => async (stream, token) =>
    {
        await Raw($"HTTP/1.1 200 OK\r\nContent-Type: application/xml\r\nContent-Length: {size}\r\nConnection: close\r\n\r\n")(stream, token);
        var chunk = new byte[64 * 1024];
        Array.Fill(chunk, (byte)'a');
        for (var sent = 0L; sent < size; sent += chunk.Length)
        {
            await stream.WriteAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, size - sent)), token);
        }
    };

    /// <summary>A 2xx with a chunked body that never ends; stops when the client goes away or at the connection limit.</summary>
    public static HostileAnswer EndlessBody() => async (stream, token) =>
    {
        await Raw("HTTP/1.1 200 OK\r\nContent-Type: application/xml\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n")(stream, token);
        var chunk = Encoding.ASCII.GetBytes($"{64 * 1024:x}\r\n{new string('a', 64 * 1024)}\r\n");
        while (true)
        {
            await stream.WriteAsync(chunk, token);
        }
    };

    /// <summary>A 2xx announcing a body of 1000 bytes and sending one byte every 100 ms.</summary>
    public static HostileAnswer DripBody() => async (stream, token) =>
    {
        await Raw("HTTP/1.1 200 OK\r\nContent-Type: application/xml\r\nContent-Length: 1000\r\nConnection: close\r\n\r\n")(stream, token);
        for (var i = 0; i < 1000; i++)
        {
            await stream.WriteAsync("a"u8.ToArray(), token);
            await stream.FlushAsync(token);
            await Task.Delay(100, token);
        }
    };

    /// <summary>Waits <paramref name="delay"/>, then answers 200 with no body.</summary>
    public static HostileAnswer Late(TimeSpan delay) => async (stream, token) =>
    {
        await Task.Delay(delay, token);
        await Status(200, "OK")(stream, token);
    };

    private SslStreamCertificateContext? CertificateFor(HostileEndpoint endpoint)
    {
        var name = endpoint switch
        {
            HostileEndpoint.Trusted => "gateway",
            HostileEndpoint.OtherCa => "push-other-ca",
            HostileEndpoint.WrongName => "push-wrong-name",
            HostileEndpoint.ClientUsageOnly => "push-client-eku",
            HostileEndpoint.Intermediate => "push-via-intermediate",
            _ => null,
        };
        if (name is null)
        {
            return null;
        }

        using var pem = X509Certificate2.CreateFromPemFile(_pki.PathOf($"{name}.crt"), _pki.PathOf($"{name}.key"));
        var certificate = X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        X509Certificate2Collection chain = endpoint == HostileEndpoint.Intermediate
            ? [X509CertificateLoader.LoadCertificateFromFile(_pki.PathOf("push-intermediate.crt"))]
            : [];
        return SslStreamCertificateContext.Create(certificate, chain, offline: true);
    }

    private async Task AcceptAsync(HostileEndpoint endpoint)
    {
        var (listener, certificate) = _endpoints[endpoint];
        var connections = new List<Task>();
        while (!_stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(_stopping.Token);
            }
            catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                break;
            }

            connections.Add(ServeAsync(client, certificate));
        }

        await Task.WhenAll(connections).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task ServeAsync(TcpClient client, SslStreamCertificateContext? certificate)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        limit.CancelAfter(ConnectionLimit);
        using (client)
        {
            try
            {
                if (certificate is null)
                {
                    // Accepts the connection and never reads or writes: not even the TLS handshake.
                    await Task.Delay(Timeout.InfiniteTimeSpan, limit.Token);
                    return;
                }

                await using var tls = new SslStream(client.GetStream());
                await tls.AuthenticateAsServerAsync(
                    new SslServerAuthenticationOptions { ServerCertificateContext = certificate },
                    limit.Token);
                var (recipient, flowId) = await ReadRequestAsync(tls, limit.Token);
                _received.Enqueue((recipient, flowId));
                var seen = _seen.AddOrUpdate((recipient, flowId), 1, (_, n) => n + 1);
                var answer = _answers.TryGetValue(recipient, out var script) ? script(seen) : Status(200, "OK");
                await answer(tls, limit.Token);
                await tls.FlushAsync(limit.Token);
            }
            catch (Exception exception) when (exception is IOException or OperationCanceledException or System.Security.Authentication.AuthenticationException or SocketException or InvalidDataException)
            {
                // The client refused the handshake, gave up, or the limit passed: all expected here.
            }
        }
    }

    /// <summary>Reads the request line, headers and Content-Length body; returns the recipient of the path and the Pec-Flow-Id.</summary>
    private static async Task<(string Recipient, Guid FlowId)> ReadRequestAsync(Stream stream, CancellationToken cancellationToken)
    {
        var head = new List<byte>();
        var one = new byte[1];
        while (head.Count < 4 || head[^4] != '\r' || head[^3] != '\n' || head[^2] != '\r' || head[^1] != '\n')
        {
            if (head.Count > 64 * 1024 || await stream.ReadAsync(one, cancellationToken) == 0)
            {
                throw new InvalidDataException("no complete request head");
            }

            head.Add(one[0]);
        }

        var lines = Encoding.ASCII.GetString([.. head]).Split("\r\n");
        var path = lines[0].Split(' ')[1];
        var headers = lines.Skip(1).Where(l => l.Contains(':', StringComparison.Ordinal))
            .ToDictionary(l => l[..l.IndexOf(':', StringComparison.Ordinal)].Trim(), l => l[(l.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim(), StringComparer.OrdinalIgnoreCase);
        var remaining = long.Parse(headers.GetValueOrDefault("Content-Length", "0"), System.Globalization.CultureInfo.InvariantCulture);
        var buffer = new byte[16 * 1024];
        while (remaining > 0)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, remaining)), cancellationToken);
            if (read == 0)
            {
                throw new InvalidDataException("body cut short");
            }

            remaining -= read;
        }

        _ = Guid.TryParse(headers.GetValueOrDefault("Pec-Flow-Id"), out var flowId);
        return (path[(path.LastIndexOf('/') + 1)..], flowId);
    }
}

/// <summary>The listening endpoints of <see cref="HostileRecipientServer"/>, each with its own server certificate.</summary>
public enum HostileEndpoint
{
    /// <summary>A certificate of the test CA for 127.0.0.1: TLS succeeds, the answers misbehave.</summary>
    Trusted,

    /// <summary>A certificate for 127.0.0.1 issued by another CA than the one the registry names.</summary>
    OtherCa,

    /// <summary>A certificate of the test CA for another host name.</summary>
    WrongName,

    /// <summary>A certificate of the test CA for 127.0.0.1 whose only extended key usage is clientAuth.</summary>
    ClientUsageOnly,

    /// <summary>A certificate for 127.0.0.1 issued by an intermediate CA under the test CA, sent along in the handshake.</summary>
    Intermediate,

    /// <summary>Accepts TCP connections and never says anything.</summary>
    Silent,
}
