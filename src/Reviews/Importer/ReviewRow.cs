namespace Reviews.Importer;

public readonly record struct ReviewRow(
    long Id, long ProductId, short Rating, DateTime Date, TextSlice Summary, TextSlice Body, bool Recommend,
    bool Reported, TextSlice Name, TextSlice Email, TextSlice Response, int Helpfulness);
