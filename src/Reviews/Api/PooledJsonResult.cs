using Reviews.Reading;

namespace Reviews.Api;

/// <summary>Sends a large answer from its pooled memory, then gives back the memory and its large-page slot.</summary>
public sealed class PooledJsonResult(PooledAnswer answer) : IResult
{
    public async Task ExecuteAsync(HttpContext http)
    {
        using (answer)
        {
            http.Response.ContentType = ReviewEndpoints.Json;
            http.Response.ContentLength = answer.Json.Length;
            await http.Response.Body.WriteAsync(answer.Json, http.RequestAborted);
        }
    }
}
