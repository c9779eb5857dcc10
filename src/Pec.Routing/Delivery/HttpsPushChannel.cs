using System.Net.Http.Headers;
using System.Security.Authentication;
using Microsoft.Extensions.Options;
using Pec.Adapters.Payloads;
using Pec.Signing.HttpSignatures;
using Pec.Signing.Receipts;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Pec.Routing.Delivery;

/// <summary>
/// Posts a flow to its recipient's HTTPS endpoint: the payload as the body, the flow id, sender,
/// recipient and payload digest in headers, the request signed by the platform seal (RFC 9421).
/// A 2xx is a delivery; a body in it is the recipient's acknowledgement document, kept as the reply.
/// </summary>
internal sealed class HttpsPushChannel(
    PushClients clients,
    RecipientCircuits circuits,
    PayloadStore payloads,
    HttpMessageSigner signer,
    IOptions<DeliveryOptions> options,
    TimeProvider timeProvider) : IDeliveryChannel
{
    public const string FlowIdHeader = "Pec-Flow-Id";
    public const string FlowTypeHeader = "Pec-Flow-Type";
    public const string SenderHeader = "Pec-Sender";
    public const string RecipientHeader = "Pec-Recipient";
    public const string CorrelationIdHeader = "Pec-Correlation-Id";

    public string Name => "https";

    public async Task<PushOutcome> PushAsync(DeliveryTarget target, CancellationToken cancellationToken)
    {
        HttpClient client;
        try
        {
            client = clients.For(target.TrustedCaFile);
        }
        catch (PushConfigurationException exception)
        {
            return new PushOutcome.Unreachable(exception.Message);
        }

        try
        {
            using var response = await circuits.For(target.RecipientId).ExecuteAsync(
                async token =>
                {
                    using var request = CreateRequest(target);
                    return await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token);
                },
                cancellationToken);
            return await ClassifyAsync(response, cancellationToken);
        }
        catch (BrokenCircuitException exception)
        {
            var retryAfter = exception.RetryAfter ?? options.Value.CircuitBreakDuration;
            return new PushOutcome.CircuitOpen(retryAfter, "circuit open after repeated failures; nothing sent");
        }
        catch (TimeoutRejectedException)
        {
            return new PushOutcome.Unreachable($"no answer within {options.Value.AttemptTimeout}");
        }
        catch (HttpRequestException exception)
        {
            return new PushOutcome.Unreachable(Describe(exception));
        }
        catch (Exception exception) when (exception is IOException or AuthenticationException or PushConfigurationException)
        {
            return new PushOutcome.Unreachable(exception.Message);
        }
    }

    private HttpRequestMessage CreateRequest(DeliveryTarget target)
    {
        var flow = target.Flow;
        var stream = payloads.OpenRead(flow.PayloadSha256)
            ?? throw new IOException($"The payload {flow.PayloadSha256} disappeared from the store.");
        var content = new StreamContent(stream);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(flow.MediaType);
        content.Headers.ContentLength = flow.PayloadSize;
        var digest = HttpSignatureBase.ContentDigest(Convert.FromHexString(flow.PayloadSha256));
        content.Headers.TryAddWithoutValidation("Content-Digest", digest);
        content.Headers.TryAddWithoutValidation("Repr-Digest", digest);

        var request = new HttpRequestMessage(HttpMethod.Post, target.Url) { Content = content };
        request.Headers.TryAddWithoutValidation(FlowIdHeader, flow.Id.ToString());
        request.Headers.TryAddWithoutValidation(FlowTypeHeader, flow.FlowTypeId);
        request.Headers.TryAddWithoutValidation(SenderHeader, flow.SenderId);
        request.Headers.TryAddWithoutValidation(RecipientHeader, target.RecipientId);
        if (flow.CorrelationId is { } correlation)
        {
            request.Headers.TryAddWithoutValidation(CorrelationIdHeader, correlation);
        }

        var (signatureInput, signature) = signer.Sign(
            new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["@method"] = "POST",
                ["@target-uri"] = target.Url.AbsoluteUri,
                ["content-digest"] = digest,
                ["content-type"] = content.Headers.ContentType.ToString(),
                ["pec-flow-id"] = flow.Id.ToString(),
                ["pec-flow-type"] = flow.FlowTypeId,
                ["pec-sender"] = flow.SenderId,
                ["pec-recipient"] = target.RecipientId,
            },
            timeProvider.GetUtcNow());
        request.Headers.TryAddWithoutValidation("Signature-Input", signatureInput);
        request.Headers.TryAddWithoutValidation("Signature", signature);
        return request;
    }

    private async Task<PushOutcome> ClassifyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        if (response.IsSuccessStatusCode)
        {
            var (reply, note) = await ReadReplyAsync(response, cancellationToken);
            return new PushOutcome.Delivered(status, reply, note ?? $"HTTP {status}");
        }

        var detail = $"HTTP {status} {response.ReasonPhrase}".TrimEnd();
        return RecipientCircuits.IsTemporary(response.StatusCode)
            ? new PushOutcome.TemporaryFailure(status, detail)
            : new PushOutcome.Refused(status, detail);
    }

    /// <summary>Keeps a non-empty 2xx body as the acknowledgement; a body too large is ignored, the delivery still stands.</summary>
    private async Task<(PayloadDescription? Reply, string? Note)> ReadReplyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength == 0 || response.Content.Headers.ContentType?.MediaType is not { } mediaType)
        {
            return (null, null);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.AttemptTimeout);
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync(timeout.Token);
            var stored = await payloads.WriteAsync(body, options.Value.MaxAcknowledgementBytes, timeout.Token);
            return stored.Size == 0 ? (null, null) : (new PayloadDescription(stored.Sha256Hex, stored.Size, mediaType), null);
        }
        catch (PayloadTooLargeException)
        {
            return (null, $"HTTP {(int)response.StatusCode}; acknowledgement over {options.Value.MaxAcknowledgementBytes} bytes ignored");
        }
        catch (Exception exception) when (exception is IOException or HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return (null, $"HTTP {(int)response.StatusCode}; acknowledgement unreadable: {exception.Message}");
        }
    }

    private static string Describe(HttpRequestException exception) =>
        exception.InnerException is { } inner ? $"{exception.Message} ({inner.Message})" : exception.Message;
}
