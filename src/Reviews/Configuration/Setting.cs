namespace Reviews.Configuration;

/// <summary>
/// One setting of the service as the help and the README show it: its configuration key (appsettings.json), the
/// environment variable and the command-line flag that override it, its default and what it does.
/// </summary>
public sealed record Setting(string Key, string Flag, string Default, string Description)
{
    /// <summary>The environment variable that sets it: the key with "__" for ":" (ASP.NET Core's convention).</summary>
    public string EnvironmentVariable { get; init; } = Key.Replace(":", "__");

    public override string ToString() => $"{Flag} | {EnvironmentVariable} | default {Default}";
}
