using Microsoft.AspNetCore.Http.Features;
using Pec.Adapters.Payloads;
using Pec.Gateway.Authentication;
using Pec.Gateway.Problems;
using Pec.Routing;
using Pec.Routing.Audit;
using Pec.Routing.Flows;
using Pec.Routing.Outbox;
using Pec.Routing.Registry;
using Pec.Signing.Sealing;
using Pec.Signing.Verification;

namespace Pec.Gateway.Flows;

/// <summary>
/// <c>POST /api/v1/flows</c>: checks rights, media type and size, streams the payload into the
/// store, derives the recipients from the payload when <c>Pec-Recipients</c> is absent and the flow
/// type has recipient rules, verifies the signature the flow type requires, then commits the flow
/// with its deposit receipt and outbox row before returning 202.
/// </summary>
internal static class SubmitFlowEndpoint
{
    // Long enough for a broker restart, short enough that clients do not queue work of their own for long.
    private const int RetryAfterSeconds = 30;

    public static void Map(RouteGroupBuilder api) =>
        api.MapPost("/flows", HandleAsync).RequireAuthorization(PecClaims.AdministrationPolicy);

    private static async Task<IResult> HandleAsync(
        HttpContext context,
        RegistryRepository registry,
        PayloadStore store,
        FlowRepository flows,
        RejectionRecorder rejections,
        PayloadSignatureCheck signatureCheck,
        UnsignedPayloadSealing sealing,
        OutboxBacklog backlog,
        ILoggerFactory loggerFactory)
    {
        var logger = loggerFactory.CreateLogger(typeof(SubmitFlowEndpoint));
        var sender = context.User.AdministrationIdOf();
        var cancellationToken = context.RequestAborted;
        // Checked before the body is read: a broker outage must not fill PostgreSQL without bound.
        if (await backlog.IsFullAsync(cancellationToken))
        {
            Log.BacklogFull(logger, sender);
            context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return ApiProblem.Result(context, ProblemCatalog.OutboxFull, RetryAfterSeconds);
        }

        var (headers, headerProblem, headerArguments) = SubmissionHeaders.Read(context.Request);
        if (headers is null)
        {
            return await RejectAsync(context, rejections, logger, sender, headerProblem!, headerArguments);
        }

        var flowType = await registry.FindFlowTypeAsync(headers.FlowType, cancellationToken);
        var rightsProblem = await CheckRightsAsync(registry, sender, headers, flowType, cancellationToken);
        if (rightsProblem is { } problem)
        {
            return await RejectAsync(context, rejections, logger, sender, problem.Kind, problem.Arguments, headers);
        }

        var maxBytes = flowType!.MaxSizeBytes;
        if (context.Request.ContentLength > maxBytes)
        {
            return await RejectAsync(context, rejections, logger, sender, ProblemCatalog.PayloadTooLarge, [maxBytes, flowType.Id], headers);
        }

        // The flow type's limit applies instead of Kestrel's global one; the store enforces it while streaming.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            sizeFeature.MaxRequestBodySize = null;
        }

        StoredPayload payload;
        try
        {
            payload = await store.WriteAsync(context.Request.Body, maxBytes, cancellationToken);
        }
        catch (PayloadTooLargeException)
        {
            return await RejectAsync(context, rejections, logger, sender, ProblemCatalog.PayloadTooLarge, [maxBytes, flowType.Id], headers);
        }
        catch (PayloadSourceException)
        {
            return await RejectAsync(context, rejections, logger, sender, ProblemCatalog.IncompleteBody, [], headers);
        }

        if (payload.Size == 0)
        {
            return await RejectAsync(context, rejections, logger, sender, ProblemCatalog.EmptyPayload, [], headers);
        }

        if (PayloadSealer.IsXmlMediaType(headers.MediaType))
        {
            await using var prolog = store.OpenRead(payload.Sha256Hex)!;
            if (await XmlCharset.FindConflictAsync(headers.ContentType, prolog, cancellationToken) is { } conflict)
            {
                return await RejectAsync(context, rejections, logger, sender, ProblemCatalog.CharsetMismatch, [conflict.Charset, conflict.Declared], headers);
            }
        }

        // The explicit header wins over the rules; its recipients were checked against the flow type above.
        var recipients = headers.Recipients;
        if (recipients.Count == 0)
        {
            var (resolved, recipientProblem, recipientArguments) = await SubmissionRecipients.ResolveAsync(flowType, headers.MediaType, payload, store, registry, cancellationToken);
            if (resolved is null)
            {
                return await RejectAsync(context, rejections, logger, sender, recipientProblem!, recipientArguments, headers);
            }

            recipients = resolved;
        }

        SignatureEvidence? evidence = null;
        if (flowType.SignatureLevel != SignatureLevels.None)
        {
            var check = await signatureCheck.CheckAsync(
                flowType, headers.MediaType, context.Request.Headers[PayloadSignatureCheck.SignatureHeader].ToString(), payload, cancellationToken);
            if (check.Problem is not null && check.Verdict?.Reason == SignatureReasons.MissingSignature && sealing.Applies(flowType))
            {
                (payload, evidence) = await sealing.SealAsync(flowType, headers.MediaType, payload, cancellationToken);
            }
            else if (check.Problem is { } signatureProblem)
            {
                Log.SignatureRejected(logger, sender, flowType.Id, check.Verdict?.Reason ?? SignatureReasons.UnsupportedSignature, check.Verdict?.Detail ?? headers.MediaType);
                return await RejectAsync(context, rejections, logger, sender, signatureProblem, [flowType.Id, flowType.SignatureLevel], headers);
            }

            else
            {
                evidence = check.Evidence;
            }
        }

        var submission = new NewFlow(flowType.Id, sender, recipients, payload, headers.ContentType, headers.IdempotencyKey, headers.CorrelationId, evidence);
        var result = await flows.AcceptAsync(submission, cancellationToken);
        switch (result)
        {
            case AcceptResult.Accepted accepted:
                var flowId = accepted.Flow.Id;
                if (!accepted.Replayed)
                {
                    Log.FlowAccepted(logger, flowId, flowType.Id, sender);
                    PecMetrics.FlowsAccepted.Add(1, new KeyValuePair<string, object?>("flow_type", flowType.Id));
                }

                var body = new FlowAcceptedResponse(flowId, FlowStatus.Accepted, [.. accepted.Receipts.Select(r => ReceiptLink.From(flowId, r))]);
                return TypedResults.Accepted($"/api/v1/flows/{flowId}", body);
            case AcceptResult.IdempotencyConflict conflict:
                return await RejectAsync(context, rejections, logger, sender, ProblemCatalog.IdempotencyConflict, [headers.IdempotencyKey, conflict.ExistingFlowId], headers);
            default:
                throw new InvalidOperationException($"Unexpected accept result {result}.");
        }
    }

    private static async Task<(ProblemKind Kind, object?[] Arguments)?> CheckRightsAsync(
        RegistryRepository registry, string sender, SubmissionHeaders headers, FlowType? flowType, CancellationToken cancellationToken)
    {
        if (flowType is null)
        {
            return (ProblemCatalog.UnknownFlowType, [headers.FlowType]);
        }

        if (!flowType.AllowsSender(sender))
        {
            return (ProblemCatalog.SenderNotAllowed, [sender, flowType.Id]);
        }

        if (headers.Recipients.Count == 0 && flowType.RecipientRules.Count == 0)
        {
            return (ProblemCatalog.MissingHeader, [SubmissionHeaders.RecipientsHeader]);
        }

        var known = await registry.FindExistingAdministrationsAsync(headers.Recipients, cancellationToken);
        foreach (var recipient in headers.Recipients)
        {
            if (!known.Contains(recipient))
            {
                return (ProblemCatalog.UnknownRecipient, [recipient]);
            }

            if (!flowType.AllowsRecipient(recipient))
            {
                return (ProblemCatalog.RecipientNotAllowed, [recipient, flowType.Id]);
            }
        }

        if (!flowType.AcceptsMediaType(headers.MediaType))
        {
            return (ProblemCatalog.UnsupportedMediaType, [headers.MediaType, flowType.Id, string.Join(", ", flowType.MediaTypes)]);
        }

        return null;
    }

    private static async Task<IResult> RejectAsync(
        HttpContext context, RejectionRecorder rejections, ILogger logger, string sender, ProblemKind kind, object?[] arguments, SubmissionHeaders? headers = null)
    {
        Log.FlowRejected(logger, sender, headers?.FlowType, kind.Slug);
        PecMetrics.FlowsRejected.Add(1, new KeyValuePair<string, object?>("problem", kind.Slug));
        await rejections.RecordAsync(
            sender, kind.Type, Truncate(headers?.FlowType ?? context.Request.Headers[SubmissionHeaders.FlowTypeHeader].ToString()),
            Truncate(context.Request.Headers[SubmissionHeaders.RecipientsHeader].ToString()),
            Truncate(context.Request.Headers[SubmissionHeaders.IdempotencyKeyHeader].ToString()),
            CancellationToken.None);
        return ApiProblem.Result(context, kind, arguments);
    }

    // Header values are client input: the audit log keeps a bounded prefix of each.
    private static string? Truncate(string? value) =>
        string.IsNullOrEmpty(value) ? null : value.Length <= 256 ? value : value[..256];
}
