using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Pec.Routing.Delivery;

/// <summary>
/// One resilience pipeline per recipient: a circuit breaker, so a recipient that keeps failing is
/// left alone for a while instead of taking every worker's time, around a per-attempt timeout.
/// Retries are not here: they are durable, scheduled in PostgreSQL, and survive restarts.
/// </summary>
internal sealed class RecipientCircuits(IOptions<DeliveryOptions> options, TimeProvider timeProvider)
{
    private readonly ConcurrentDictionary<string, ResiliencePipeline<HttpResponseMessage>> _pipelines = new(StringComparer.Ordinal);

    public ResiliencePipeline<HttpResponseMessage> For(string recipientId) =>
        _pipelines.GetOrAdd(recipientId, _ => Build());

    public static bool IsTemporary(HttpStatusCode status) =>
        (int)status >= 500 || status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status == 425;

    private ResiliencePipeline<HttpResponseMessage> Build()
    {
        var settings = options.Value;
        return new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = timeProvider }
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
            {
                FailureRatio = settings.CircuitFailureRatio,
                MinimumThroughput = settings.CircuitMinimumThroughput,
                SamplingDuration = settings.CircuitSamplingDuration,
                BreakDuration = settings.CircuitBreakDuration,
                ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                    .Handle<HttpRequestException>()
                    .Handle<TimeoutRejectedException>()
                    .Handle<IOException>()
                    .HandleResult(response => IsTemporary(response.StatusCode)),
            })
            .AddTimeout(settings.AttemptTimeout)
            .Build();
    }
}
