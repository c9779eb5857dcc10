using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Pec.Gateway.Tests.Infrastructure;

/// <summary>Sends hand-written HTTP/1.1 bytes over mutual TLS, for requests HttpClient refuses to send.</summary>
internal static class RawHttp
{
    /// <summary>
    /// Writes <paramref name="request"/> and keeps the connection open, as a stalled client would, then
    /// returns the whole response as text once the server closes the connection or the timeout passes.
    /// </summary>
    public static async Task<string> SendAsync(GatewayFixture fixture, string administrationId, byte[] request, TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(fixture.BaseAddress.Host, fixture.BaseAddress.Port, cancellation.Token);
        await using var tls = new SslStream(tcp.GetStream());
        await tls.AuthenticateAsClientAsync(
            new SslClientAuthenticationOptions
            {
                TargetHost = "localhost",
                ApplicationProtocols = [SslApplicationProtocol.Http11],
                ClientCertificates = new X509CertificateCollection { fixture.Pki.Client(administrationId) },
                RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null && fixture.ChainsToTestCa(certificate),
            },
            cancellation.Token);
        await tls.WriteAsync(request, cancellation.Token);
        await tls.FlushAsync(cancellation.Token);

        using var response = new MemoryStream();
        try
        {
            await tls.CopyToAsync(response, cancellation.Token);
        }
        catch (Exception exception) when (exception is IOException or OperationCanceledException)
        {
            // The server may reset the connection after answering, or never close it; what arrived is kept.
        }

        return Encoding.UTF8.GetString(response.ToArray());
    }
}
