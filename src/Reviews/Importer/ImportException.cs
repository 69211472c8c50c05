namespace Reviews.Importer;

/// <summary>A failure that stops the import, with a message that says what to do.</summary>
public sealed class ImportException(string message) : Exception(message);
