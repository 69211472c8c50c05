using System.ComponentModel;

namespace Reviews.Contract;

/// <summary>The 422 problem document of a POST whose body breaks a rule, as the OpenAPI document describes it.</summary>
public sealed record InvalidReviewProblem(
    string Type, string Title, int Status,
    [property: Description("Always \"Error: Review body contains invalid entries\".")] string Detail,
    [property: Description("Each bad field and what is wrong with it.")] Dictionary<string, string> Errors);
