namespace Reviews.Configuration;

/// <summary>A setting has a value its rules refuse; the message names it.</summary>
public sealed class SettingsException(string message) : Exception(message);
