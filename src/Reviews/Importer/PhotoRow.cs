namespace Reviews.Importer;

public readonly record struct PhotoRow(long Id, long ReviewId, TextSlice Url);
