namespace Reviews.Cli;

/// <summary>A failure of a command, with a message that says what to do; exit code 1.</summary>
public sealed class CliException(string message) : Exception(message);
