namespace Reviews.Store;

public readonly record struct StoredPhoto(long Id, string Url);
