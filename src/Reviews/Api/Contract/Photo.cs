namespace Reviews.Api.Contract;

public sealed record Photo(long Id, string Url);
