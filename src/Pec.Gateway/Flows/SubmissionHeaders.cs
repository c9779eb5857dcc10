using Pec.Gateway.Problems;

namespace Pec.Gateway.Flows;

/// <summary>The PEC headers of a submission, read and checked for form before the registry is consulted.</summary>
internal sealed record SubmissionHeaders(string FlowType, IReadOnlyList<string> Recipients, string IdempotencyKey, string? CorrelationId, string MediaType, string ContentType)
{
    public const string FlowTypeHeader = "Pec-Flow-Type";
    public const string RecipientsHeader = "Pec-Recipients";
    public const string IdempotencyKeyHeader = "Idempotency-Key";
    public const string CorrelationIdHeader = "Pec-Correlation-Id";

    private const int MaxRecipients = 100;
    private const int MaxKeyLength = 255;

    /// <summary>Reads the headers, or returns the problem that the first malformed one causes.</summary>
    public static (SubmissionHeaders? Headers, ProblemKind? Kind, object?[] Arguments) Read(HttpRequest request)
    {
        var flowType = Single(request, FlowTypeHeader);
        if (string.IsNullOrWhiteSpace(flowType))
        {
            return Missing(FlowTypeHeader);
        }

        var recipientsHeader = string.Join(",", request.Headers[RecipientsHeader].ToArray());
        var recipients = recipientsHeader.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        if (recipients.Count == 0)
        {
            return Missing(RecipientsHeader);
        }

        if (recipients.Count > MaxRecipients)
        {
            return Invalid(RecipientsHeader, $"{recipients.Count} > {MaxRecipients}");
        }

        var key = Single(request, IdempotencyKeyHeader);
        if (string.IsNullOrEmpty(key))
        {
            return Missing(IdempotencyKeyHeader);
        }

        if (!IsPrintableAscii(key, MaxKeyLength))
        {
            return Invalid(IdempotencyKeyHeader, "1-255 printable ASCII");
        }

        var correlation = Single(request, CorrelationIdHeader);
        if (correlation is not null && !IsPrintableAscii(correlation, MaxKeyLength))
        {
            return Invalid(CorrelationIdHeader, "1-255 printable ASCII");
        }

        var contentType = request.ContentType;
        if (string.IsNullOrWhiteSpace(contentType) || !Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var parsed))
        {
            return Missing("Content-Type");
        }

        var mediaType = parsed.MediaType.Value!.ToLowerInvariant();
        return (new SubmissionHeaders(flowType.Trim(), recipients, key, correlation, mediaType, contentType), null, []);
    }

    private static string? Single(HttpRequest request, string name)
    {
        var values = request.Headers[name];
        return values.Count == 1 ? values[0] : values.Count == 0 ? null : string.Join(",", values.ToArray());
    }

    private static bool IsPrintableAscii(string value, int maxLength) =>
        value.Length is > 0 and <= 255 && value.Length <= maxLength && value.All(c => c is >= '!' and <= '~');

    private static (SubmissionHeaders?, ProblemKind?, object?[]) Missing(string header) =>
        (null, ProblemCatalog.MissingHeader, [header]);

    private static (SubmissionHeaders?, ProblemKind?, object?[]) Invalid(string header, string reason) =>
        (null, ProblemCatalog.InvalidHeader, [header, reason]);
}
