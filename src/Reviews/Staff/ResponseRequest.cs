using System.ComponentModel;
using Reviews.Contract;

namespace Reviews.Staff;

/// <summary>The body of PUT /moderation/reviews/{id}/response (documents it; the handler reads the JSON by hand).</summary>
public sealed record ResponseRequest(
    [property: Description("The shop's answer, shown in the review's `response` (1 to 1000 characters, as a review body); null clears it.")]
    [property: System.ComponentModel.DataAnnotations.MaxLength(ReviewLimits.MaxBody)]
    string? Response);
