using Microsoft.AspNetCore.Http.HttpResults;

namespace Reviews.Api;

public static class RequestBody
{
    /// <summary>
    /// A JSON body of at most <paramref name="limit"/> bytes; or, with no body, the problem that refuses it: 415 when
    /// it is not sent as JSON, 413 when it is longer.
    /// </summary>
    public static async Task<(byte[]? Body, ProblemHttpResult? Refused)> ReadJsonAsync(HttpRequest request, int limit, CancellationToken ct)
    {
        if (!request.HasJsonContentType())
            return (null, TypedResults.Problem("The body must be JSON, sent with Content-Type: application/json.",
                statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type"));
        if (await ReadAsync(request, limit, ct) is not { } body)
            return (null, TypedResults.Problem($"The body must be at most {limit / 1024} KiB.",
                statusCode: StatusCodes.Status413PayloadTooLarge, title: "Body too large"));
        return (body, null);
    }

    /// <summary>The whole body, or null when it is longer than <paramref name="limit"/> bytes.</summary>
    public static async Task<byte[]?> ReadAsync(HttpRequest request, int limit, CancellationToken ct)
    {
        if (request.ContentLength > limit)
            return null;
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > limit)
                return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}
