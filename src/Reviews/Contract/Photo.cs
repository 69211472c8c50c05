namespace Reviews.Contract;

public sealed record Photo(long Id, string Url);
