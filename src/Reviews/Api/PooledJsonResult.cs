namespace Reviews.Api;

/// <summary>Sends a large answer from its pooled buffer, then gives back the buffer and its large-page slot.</summary>
public sealed class PooledJsonResult(PooledBufferWriter json, IDisposable slot) : IResult
{
    public async Task ExecuteAsync(HttpContext http)
    {
        try
        {
            http.Response.ContentType = ReviewEndpoints.Json;
            http.Response.ContentLength = json.Length;
            await http.Response.Body.WriteAsync(json.WrittenMemory, http.RequestAborted);
        }
        finally
        {
            json.Dispose();
            slot.Dispose();
        }
    }
}
