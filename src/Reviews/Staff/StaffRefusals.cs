using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.IdentityModel.Tokens;

namespace Reviews.Staff;

/// <summary>
/// The staff endpoints' refusals as problem documents: 401 (no token, or one that is not valid here) and 403 (a valid
/// token without the role). The detail names the kind of failure only: never the token, never the parser's message.
/// </summary>
public sealed class StaffRefusals : IAuthorizationMiddlewareResultHandler
{
    readonly AuthorizationMiddlewareResultHandler framework = new();

    public static async Task ChallengeAsync(JwtBearerChallengeContext context)
    {
        context.HandleResponse();
        var detail = context.AuthenticateFailure switch
        {
            null => "Sign in: send Authorization: Bearer <token>, a token with a staff role (README, \"Staff\").",
            SecurityTokenExpiredException => "The token has expired: sign in again.",
            SecurityTokenNotYetValidException => "The token is not valid yet: check the clocks.",
            _ => "The token is not valid here (its signature, algorithm, issuer or audience): sign in again.",
        };
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers.WWWAuthenticate = "Bearer";
        await Write(context.HttpContext, StatusCodes.Status401Unauthorized, "Unauthorized", detail);
    }

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult result)
    {
        if (!result.Forbidden)
        {
            await framework.HandleAsync(next, context, policy, result);
            return;
        }
        var roles = policy.Requirements.OfType<Microsoft.AspNetCore.Authorization.Infrastructure.RolesAuthorizationRequirement>()
            .SelectMany(r => r.AllowedRoles);
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        await Write(context, StatusCodes.Status403Forbidden, "Forbidden",
            $"This needs a token with the role {string.Join(" or ", roles)}.");
    }

    static Task Write(HttpContext context, int status, string title, string detail) =>
        context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        }).AsTask();
}
