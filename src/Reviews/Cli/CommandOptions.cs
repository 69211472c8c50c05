using System.CommandLine;
using Reviews.Cache;
using Reviews.Configuration;
using Reviews.Hosting;

namespace Reviews.Cli;

/// <summary>The flags several commands take, each named and described by its setting (Hosting/ServiceSettings.cs).</summary>
static class CommandOptions
{
    public static Setting CacheEnabled { get; } = ServiceSettings.Of<CacheOptions>(nameof(CacheOptions.Enabled));

    public static Setting CacheSizeMb { get; } = ServiceSettings.Of<CacheOptions>(nameof(CacheOptions.SizeMb));

    public static readonly Option<string?> DatabaseOption = new(ServiceSettings.Database.Flag) { Description = Describe(ServiceSettings.Database) };

    public static readonly Option<bool> NoCacheOption = new(CacheEnabled.Flag)
    {
        Description = $"Answer every GET from the database. [{CacheEnabled.EnvironmentVariable}=false]",
    };

    public static readonly Option<int?> CacheMbOption = new(CacheSizeMb.Flag) { Description = Describe(CacheSizeMb) };

    public static string Describe(Setting setting) => $"{setting.Description} [{setting.EnvironmentVariable}; default: {setting.Default}]";
}
