using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Reviews.Api;
using Reviews.Store;
using Reviews.Validation;
using Reviews.Writing;

namespace Reviews.Staff;

/// <summary>
/// A reviewer's privacy requests (role privacy or admin): everything stored under an address, and its erasure.
/// The address is a query parameter as the clients send it; it is never logged (the request log keeps paths).
/// </summary>
public static class PrivacyEndpoints
{
    const int MaxEmail = 320;

    public static RouteGroupBuilder MapPrivacy(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/privacy").WithTags("Privacy")
            .RequireAuthorization(StaffRoles.PrivacyPolicy)
            .ProducesProblem(401).ProducesProblem(403).ProducesProblem(422).ProducesProblem(503)
            .AddOpenApiOperationTransformer(StaffDocument.RequiresToken)
            .AddOpenApiOperationTransformer(StaffDocument.EmailParameter);
        group.MapGet("/reviews", Access).WithSummary("Everything stored about a reviewer, by e-mail address (right of access)");
        group.MapDelete("/reviews", Erase).WithSummary("Erase every review written with an e-mail address (idempotent)");
        return group;
    }

    static async Task<Results<Ok<ReviewerData>, ProblemHttpResult>> Access(HttpRequest request, PrivacyStore store, CancellationToken ct) =>
        Email(request) is { } email ? TypedResults.Ok(new ReviewerData(email, await store.FindAsync(email, ct))) : EmailProblem();

    static async Task<Results<Ok<Erasure>, ProblemHttpResult>> Erase(HttpRequest request, ClaimsPrincipal user, StaffWriter writer,
        IOptions<PrivacyOptions> options)
    {
        if (Email(request) is not { } email)
            return EmailProblem();
        var erased = await writer.EraseAsync(email, StaffAuthentication.Actor(user), Reviewer(email, options.Value));
        return TypedResults.Ok(new Erasure(erased.Count, [.. erased.Select(r => r.ReviewId)]));
    }

    static string? Email(HttpRequest request) =>
        request.Query["email"] is { Count: 1 } given && given[0] is { Length: > 0 and <= MaxEmail } email
        && TextRules.Problem(email, multiline: false) is null ? email : null;

    static ProblemHttpResult EmailProblem() =>
        Problems.Unprocessable($"email must be one address of 1 to {MaxEmail} characters (matched whatever its case).");

    /// <summary>How the audit trail names the reviewer: a keyed hash of the address, never the address.</summary>
    static string Reviewer(string email, PrivacyOptions options) =>
        options.HashKeyBytes() is { } key
            ? "hmac-sha256:" + Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(email.ToLowerInvariant())))
            : "an address not recorded (no Reviews:Privacy:HashKey)";
}
