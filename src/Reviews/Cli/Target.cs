namespace Reviews.Cli;

/// <summary>What a command runs against: the settings it resolved, the database among them, and where the
/// private cluster and the demo data live.</summary>
public sealed record Target(Dictionary<string, string?> Settings, IConfiguration Configuration, string ConnectionString, string DataDirectory);
