using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;

namespace Pec.Signing.Timestamping;

/// <summary>
/// Requests RFC 3161 time-stamps over HTTP (RFC 3161, 3.4): POST application/timestamp-query,
/// expect application/timestamp-reply. Every token is checked against the request (imprint, nonce,
/// TSA certificate included) and its TSA certificate chained to the configured anchors.
/// </summary>
public sealed class TimestampClient
{
    private const string QueryMediaType = "application/timestamp-query";
    private const string ReplyMediaType = "application/timestamp-reply";

    // A reply carries the token and the TSA certificate chain: a few KiB. Anything much larger is not a TSA reply.
    private const int MaxReplyBytes = 256 * 1024;

    private readonly HttpClient _httpClient;
    private readonly Uri _url;
    private readonly TimeSpan _timeout;
    private readonly X509Certificate2Collection _anchors;

    /// <summary>Creates a client for the TSA named by <paramref name="options"/>.</summary>
    /// <exception cref="InvalidOperationException">Time-stamping is not configured, or the anchors file cannot be read.</exception>
    public TimestampClient(HttpClient httpClient, TimestampingOptions options)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(options);
        if (!options.IsEnabled || !Uri.TryCreate(options.Url, UriKind.Absolute, out var url))
        {
            throw new InvalidOperationException($"{TimestampingOptions.SectionName}:Url is not set to an absolute URL.");
        }

        if (string.IsNullOrWhiteSpace(options.TrustedTsaCertificatePath))
        {
            throw new InvalidOperationException($"{TimestampingOptions.SectionName}:TrustedTsaCertificatePath is required with a TSA URL.");
        }

        _httpClient = httpClient;
        _url = url;
        _timeout = options.Timeout;
        _anchors = TsaTrust.LoadAnchors(options.TrustedTsaCertificatePath);
    }

    /// <summary>The TSA URL.</summary>
    public Uri Url => _url;

    /// <summary>Time-stamps the SHA-256 digest of <paramref name="data"/> and returns the checked token.</summary>
    /// <exception cref="TimestampUnavailableException">The TSA cannot be reached, timed out or returned an HTTP error.</exception>
    /// <exception cref="InvalidTimestampException">The reply is not a valid time-stamp of <paramref name="data"/> from a trusted TSA.</exception>
    public async Task<Rfc3161TimestampToken> RequestAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        var request = Rfc3161TimestampRequest.CreateFromData(
            data.Span,
            HashAlgorithmName.SHA256,
            requestedPolicyId: null,
            nonce: RandomNumberGenerator.GetBytes(16),
            requestSignerCertificates: true);

        var reply = await PostAsync(request.Encode(), cancellationToken).ConfigureAwait(false);

        Rfc3161TimestampToken token;
        try
        {
            // Checks the status, the imprint, the nonce and that the TSA certificate is included.
            token = request.ProcessResponse(reply, out _);
        }
        catch (CryptographicException ex)
        {
            throw new InvalidTimestampException(_url, $"The TSA at {_url} returned an unusable time-stamp reply: {ex.Message}", ex);
        }

        var problem = SignatureTimestamp.FindProblem(token, data.ToArray(), _anchors, out _);
        if (problem is not null)
        {
            throw new InvalidTimestampException(_url, $"The TSA at {_url} returned a time-stamp that is not trusted: {problem}");
        }

        return token;
    }

    private async Task<byte[]> PostAsync(byte[] query, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout);
        using var content = new ByteArrayContent(query);
        content.Headers.ContentType = new MediaTypeHeaderValue(QueryMediaType);
        try
        {
            using var response = await _httpClient.PostAsync(_url, content, timeout.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new TimestampUnavailableException(_url, $"The TSA at {_url} returned HTTP {(int)response.StatusCode} {response.ReasonPhrase}.");
            }

            var mediaType = response.Content.Headers.ContentType?.MediaType;
            if (!string.Equals(mediaType, ReplyMediaType, StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidTimestampException(_url, $"The TSA at {_url} returned Content-Type '{mediaType}'; expected {ReplyMediaType}.");
            }

            if (response.Content.Headers.ContentLength > MaxReplyBytes)
            {
                throw new InvalidTimestampException(_url, $"The TSA at {_url} returned more than {MaxReplyBytes} bytes.");
            }

            return await ReadLimitedAsync(response.Content, timeout.Token).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new TimestampUnavailableException(_url, $"The TSA at {_url} cannot be reached: {ex.Message}", ex);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimestampUnavailableException(_url, $"The TSA at {_url} timed out after {_timeout}.", ex);
        }
    }

    private async Task<byte[]> ReadLimitedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var buffer = new byte[MaxReplyBytes + 1];
            var length = 0;
            int read;
            while (length < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false)) > 0)
            {
                length += read;
            }

            if (length > MaxReplyBytes)
            {
                throw new InvalidTimestampException(_url, $"The TSA at {_url} returned more than {MaxReplyBytes} bytes.");
            }

            return buffer.AsSpan(0, length).ToArray();
        }
    }
}
