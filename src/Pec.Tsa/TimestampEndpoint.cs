namespace Pec.Tsa;

/// <summary>The RFC 3161 HTTP binding: POST a TimeStampReq as application/timestamp-query, get application/timestamp-reply.</summary>
internal static class TimestampEndpoint
{
    public const string RequestMediaType = "application/timestamp-query";
    public const string ReplyMediaType = "application/timestamp-reply";

    // A TimeStampReq with a SHA-512 imprint, a nonce and a policy is well under 1 KiB.
    private const int MaxRequestBytes = 16 * 1024;

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/health", () => Results.Text("Healthy"));
        app.MapPost("/", HandleAsync);
    }

    private static async Task<IResult> HandleAsync(HttpContext context, TimestampAuthority authority, ILoggerFactory loggerFactory)
    {
        var logger = loggerFactory.CreateLogger(typeof(TimestampEndpoint));
        if (!string.Equals(context.Request.ContentType, RequestMediaType, StringComparison.OrdinalIgnoreCase))
        {
            return Results.Text($"Expected Content-Type {RequestMediaType}.", statusCode: StatusCodes.Status415UnsupportedMediaType);
        }

        if (context.Request.ContentLength > MaxRequestBytes)
        {
            return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
        }

        // Read at most one byte past the limit, so a chunked body cannot make the TSA buffer more.
        var buffer = new byte[MaxRequestBytes + 1];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await context.Request.Body.ReadAsync(buffer.AsMemory(length), context.RequestAborted)) > 0)
        {
            length += read;
        }

        if (length > MaxRequestBytes)
        {
            return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
        }

        var response = authority.Respond(buffer.AsMemory(0, length));
        Log.Responded(logger, length, response.Length);
        return Results.Bytes(response, ReplyMediaType);
    }
}
