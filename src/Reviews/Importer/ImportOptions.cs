namespace Reviews.Importer;

public sealed record ImportOptions(string Directory, string RejectsPath, bool Replace = false, bool ValidateKeys = false);
