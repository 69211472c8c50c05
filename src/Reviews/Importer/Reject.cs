namespace Reviews.Importer;

/// <summary>Why a row was not loaded: a stable code (counted in the summary) and a detail for people.</summary>
public readonly record struct Reject(string Reason, string Detail);
