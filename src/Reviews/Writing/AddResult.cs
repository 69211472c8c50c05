namespace Reviews.Writing;

/// <summary>
/// What a POST of a new review did: the review's id (created or replayed), or why nothing was written (a
/// <paramref name="Detail"/> for a malformed body, the broken rules by field for an invalid one).
/// </summary>
public sealed record AddResult(AddStatus Status, long ReviewId = 0, string? Detail = null, Dictionary<string, string>? Errors = null);
