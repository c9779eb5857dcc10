using System.Text.Json;
using Pec.Gateway.Authentication;
using Pec.Gateway.Flows;
using Pec.Gateway.Problems;
using Pec.Routing.Delivery;

namespace Pec.Gateway.Operations;

/// <summary>
/// The operators' API over dead letters: list (filters <c>status</c>, <c>reason</c>,
/// <c>recipient</c>, cursor paging), read one with every attempt, replay, discard. Only
/// certificates registered with the <c>Operator</c> role reach it; every action is audited.
/// </summary>
internal static class DeadLetterEndpoints
{
    private const int MaxNoteLength = 500;
    private static readonly string[] Statuses = ["open", "replayed", "discarded"];

    public static void Map(RouteGroupBuilder api)
    {
        var group = api.MapGroup("/operator/dead-letters").RequireAuthorization(PecClaims.OperatorPolicy);
        group.MapGet("", ListAsync);
        group.MapGet("/{id:guid}", GetAsync);
        group.MapPost("/{id:guid}/replay", (HttpContext context, Guid id, DeadLetterRepository repository) =>
            ResolveAsync(context, id, repository, repository.ReplayAsync));
        group.MapPost("/{id:guid}/discard", (HttpContext context, Guid id, DeadLetterRepository repository) =>
            ResolveAsync(context, id, repository, repository.DiscardAsync));
    }

    private static async Task<IResult> ListAsync(HttpContext context, DeadLetterRepository repository)
    {
        var (after, limit, pagingProblem) = PagingQuery.Read(context.Request);
        if (pagingProblem is { } p)
        {
            return ApiProblem.Result(context, p.Kind, p.Arguments);
        }

        var query = context.Request.Query;
        if (!TryReadChoice(context, "status", Statuses, out var status, out var problem)
            || !TryReadChoice(context, "reason", DeadLetterReason.All, out var reason, out problem))
        {
            return problem!;
        }

        var recipient = query["recipient"].ToString();
        if (query["recipient"].Count > 1 || recipient.Length > 64 || recipient.Any(char.IsControl))
        {
            return ApiProblem.Result(context, ProblemCatalog.InvalidQuery, "recipient", new LocalizedText("attendu : un identifiant d'administration", "expected: an administration id"));
        }

        var letters = await repository.ListAsync(
            new DeadLetterQuery(status, reason, recipient.Length == 0 ? null : recipient, after, limit), context.RequestAborted);
        var views = letters.Select(l => DeadLetterEntry.From(l, context.Request)).ToList();
        return TypedResults.Ok(new Page<DeadLetterEntry>(views, PagingQuery.NextCursor(letters, limit, l => l.Id)));
    }

    private static async Task<IResult> GetAsync(HttpContext context, Guid id, DeadLetterRepository repository)
    {
        var found = await repository.FindAsync(id, context.RequestAborted);
        return found is { } f
            ? TypedResults.Ok(new DeadLetterView(DeadLetterEntry.From(f.Letter, context.Request), f.Attempts))
            : ApiProblem.Result(context, ProblemCatalog.DeadLetterNotFound, id);
    }

    private static async Task<IResult> ResolveAsync(
        HttpContext context, Guid id, DeadLetterRepository repository, Func<Guid, string, string?, CancellationToken, Task<DeadLetterAction>> action)
    {
        var (valid, note) = await ReadNoteAsync(context.Request);
        if (!valid)
        {
            return ApiProblem.Result(context, ProblemCatalog.InvalidNote, MaxNoteLength);
        }

        var result = await action(id, context.User.AdministrationIdOf(), note, context.RequestAborted);
        return result switch
        {
            DeadLetterAction.NotFound => ApiProblem.Result(context, ProblemCatalog.DeadLetterNotFound, id),
            DeadLetterAction.NotOpen => ApiProblem.Result(context, ProblemCatalog.DeadLetterClosed, id),
            _ => TypedResults.Ok(DeadLetterEntry.From((await repository.FindAsync(id, context.RequestAborted))!.Value.Letter, context.Request)),
        };
    }

    /// <summary>Reads the optional <c>{"note": "..."}</c> body, bounded; an empty body means no note.</summary>
    private static async Task<(bool Valid, string? Note)> ReadNoteAsync(HttpRequest request)
    {
        if (request.ContentLength == 0 || request.HttpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestBodyDetectionFeature>()?.CanHaveBody == false)
        {
            return (true, null);
        }

        try
        {
            using var document = await JsonDocument.ParseAsync(request.Body, new JsonDocumentOptions { MaxDepth = 4 }, request.HttpContext.RequestAborted);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return (false, null);
            }

            if (!document.RootElement.TryGetProperty("note", out var element) || element.ValueKind == JsonValueKind.Null)
            {
                return (true, null);
            }

            var note = element.ValueKind == JsonValueKind.String ? element.GetString() : null;
            return note is not null && note.Length <= MaxNoteLength && !note.Any(char.IsControl) ? (true, note) : (false, null);
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException)
        {
            // InvalidOperationException: a lone surrogate escape ("\ud800") parses but is no string.
            return (false, null);
        }
    }

    private static bool TryReadChoice(HttpContext context, string name, IReadOnlyList<string> choices, out string? value, out IResult? problem)
    {
        var values = context.Request.Query[name];
        value = values.Count == 0 || values.ToString().Length == 0 ? null : values.ToString();
        problem = null;
        if (values.Count > 1 || (value is not null && !choices.Contains(value, StringComparer.Ordinal)))
        {
            problem = ApiProblem.Result(context, ProblemCatalog.InvalidQuery, name,
                new LocalizedText("attendu : " + string.Join(", ", choices), "expected: " + string.Join(", ", choices)));
            return false;
        }

        return true;
    }

    private sealed record DeadLetterView(DeadLetterEntry DeadLetter, IReadOnlyList<DeliveryAttempt> Attempts);

    /// <summary>A dead letter as the API shows it: the stored fields, plus <c>reasonText</c> in the reader's language.</summary>
    private sealed record DeadLetterEntry(
        Guid Id, Guid FlowId, string FlowTypeId, string SenderId, string RecipientId, string Reason, string? ReasonText, string Detail,
        int Attempts, DateTimeOffset CreatedAt, string Status, DateTimeOffset? ResolvedAt, string? ResolvedBy, string? ResolutionNote)
    {
        public static DeadLetterEntry From(DeadLetter letter, HttpRequest request) =>
            new(letter.Id, letter.FlowId, letter.FlowTypeId, letter.SenderId, letter.RecipientId, letter.Reason,
                DeliveryReasonTexts.For(letter.Reason, request), letter.Detail, letter.Attempts, letter.CreatedAt, letter.Status,
                letter.ResolvedAt, letter.ResolvedBy, letter.ResolutionNote);
    }
}
