using System.ComponentModel;

namespace Reviews.Contract;

public sealed record CharacteristicSummary(
    [property: Description("The characteristic id.")] long Id,
    [property: Description("The average rating with exactly 16 decimals, rounded half away from zero (\"3.6666666666666667\"); null when nobody rated it.")] string? Value);
