using Microsoft.Net.Http.Headers;
using Pec.Gateway.Problems;

namespace Pec.Gateway.Flows;

/// <summary>The PEC headers of a submission, read and checked for form before the registry is consulted.</summary>
internal sealed record SubmissionHeaders(string FlowType, IReadOnlyList<string> Recipients, string IdempotencyKey, string? CorrelationId, string MediaType, string ContentType)
{
    public const string FlowTypeHeader = "Pec-Flow-Type";
    public const string RecipientsHeader = "Pec-Recipients";
    public const string IdempotencyKeyHeader = "Idempotency-Key";
    public const string CorrelationIdHeader = "Pec-Correlation-Id";
    public const int MaxRecipients = 100;

    private const int MaxTokenLength = 255;

    /// <summary>Reads the headers, or returns the problem that the first malformed one causes.</summary>
    public static (SubmissionHeaders? Headers, ProblemKind? Kind, object?[] Arguments) Read(HttpRequest request)
    {
        if (FindRepeated(request, FlowTypeHeader, IdempotencyKeyHeader, CorrelationIdHeader, HeaderNames.ContentType) is { } repeated)
        {
            return Problem(ProblemCatalog.RepeatedHeader, repeated);
        }

        var flowType = request.Headers[FlowTypeHeader].ToString().Trim();
        if (flowType.Length == 0)
        {
            return Problem(ProblemCatalog.MissingHeader, FlowTypeHeader);
        }

        // Clients join repeated header lines with commas, and no flow type id contains one.
        if (flowType.Contains(',', StringComparison.Ordinal))
        {
            return Problem(ProblemCatalog.RepeatedHeader, FlowTypeHeader);
        }

        // Several Pec-Recipients lines are one list, as HTTP allows for comma-separated headers.
        // An empty list is checked against the flow type: its recipient rules may derive the recipients from the payload.
        var recipients = string.Join(",", request.Headers[RecipientsHeader].ToArray())
            .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        if (recipients.Count > MaxRecipients)
        {
            return Problem(ProblemCatalog.TooManyRecipients, recipients.Count, MaxRecipients);
        }

        var key = request.Headers[IdempotencyKeyHeader].ToString();
        if (key.Length == 0)
        {
            return Problem(ProblemCatalog.MissingHeader, IdempotencyKeyHeader);
        }

        if (!IsToken(key))
        {
            return Problem(ProblemCatalog.InvalidHeader, IdempotencyKeyHeader);
        }

        var correlation = request.Headers[CorrelationIdHeader].ToString();
        if (correlation.Length > 0 && !IsToken(correlation))
        {
            return Problem(ProblemCatalog.InvalidHeader, CorrelationIdHeader);
        }

        var contentType = request.ContentType;
        if (string.IsNullOrWhiteSpace(contentType))
        {
            return Problem(ProblemCatalog.MissingHeader, HeaderNames.ContentType);
        }

        // The Content-Type is stored and returned to recipients: it is bounded like the other tokens.
        if (contentType.Length > MaxTokenLength || !MediaTypeHeaderValue.TryParse(contentType, out var parsed) || parsed.MediaType.Value is not { } mediaType || mediaType.Contains('*', StringComparison.Ordinal))
        {
            return Problem(ProblemCatalog.InvalidContentType, contentType.Length <= 100 ? contentType : contentType[..100] + "…");
        }

        var headers = new SubmissionHeaders(flowType, recipients, key, correlation.Length == 0 ? null : correlation, mediaType.ToLowerInvariant(), contentType);
        return (headers, null, []);
    }

    private static string? FindRepeated(HttpRequest request, params string[] names) =>
        names.FirstOrDefault(name => request.Headers[name].Count > 1);

    private static bool IsToken(string value) =>
        value.Length <= MaxTokenLength && value.All(c => c is >= '!' and <= '~');

    private static (SubmissionHeaders?, ProblemKind?, object?[]) Problem(ProblemKind kind, params object?[] arguments) =>
        (null, kind, arguments);
}
