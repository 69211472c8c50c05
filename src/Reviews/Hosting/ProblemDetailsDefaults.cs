namespace Reviews.Hosting;

/// <summary>A detail for the problem documents the framework writes by itself (an unknown route, a wrong method).</summary>
public static class ProblemDetailsDefaults
{
    public static void Customize(ProblemDetailsContext context)
    {
        if (context.ProblemDetails.Detail is not null)
            return;
        var request = context.HttpContext.Request;
        var path = request.Path.Value;
        context.ProblemDetails.Detail = context.ProblemDetails.Status switch
        {
            StatusCodes.Status404NotFound => $"There is no {path}: the API serves /reviews, /reviews/meta, /reviews/{{id}}/helpful and /reviews/{{id}}/report.",
            StatusCodes.Status405MethodNotAllowed => $"{path} does not take {request.Method}" +
                (context.HttpContext.Response.Headers.Allow is { Count: > 0 } allow ? $"; it takes {allow}." : "."),
            StatusCodes.Status504GatewayTimeout => "The request took longer than this service allows (Reviews:Traffic:RequestTimeoutSeconds); retry it.",
            _ => context.ProblemDetails.Title,
        };
    }
}
