using System.ComponentModel.DataAnnotations;
using Reviews.Api;
using Reviews.Api.Traffic;
using Reviews.Cache;
using Reviews.Telemetry;

namespace Reviews.Cli;

/// <summary>
/// Every setting (README, "Configuration"), read the ASP.NET Core way: appsettings.json beside the program,
/// then environment variables, then secret files, then the command line's flags, each over the one before. The
/// defaults shown are the options classes' own.
/// </summary>
public static class Settings
{
    public static Setting Database { get; } = new($"ConnectionStrings:{Store.Database.ConnectionStringName}", "--database",
        "the private cluster under the data folder", "The PostgreSQL database, as an Npgsql connection string.");

    public static Setting Urls { get; } = new("urls", "--urls", "http://127.0.0.1:3000", "Addresses to serve on, ';'-separated (serve; up takes --port).")
    {
        EnvironmentVariable = "ASPNETCORE_URLS",
    };

    public static Setting CacheEnabled { get; } = new($"{CacheOptions.Section}:Enabled", "--no-cache", "true",
        "Keep GET answers in memory (false: every GET reads the database).");

    public static Setting CacheSizeMb { get; } = new($"{CacheOptions.Section}:SizeMb", "--cache-mb", "a quarter of memory, 256 MiB at least",
        "Memory for cached GET answers, in MiB.");

    public static Setting DataDirectory { get; } = new("Reviews:DataDirectory", "(none)", ".data",
        "Folder of the private PostgreSQL cluster and the demo data (the ./reviews launcher sets it to the checkout's .data).");

    public static Setting CorsOrigins { get; } = new($"{CrossOriginOptions.Section}:AllowedOrigins", "(none)", "none (CORS off)",
        "Origins whose pages may call the API from a browser, e.g. https://shop.example (one per index: …:0, …:1).")
    {
        EnvironmentVariable = "Reviews__Cors__AllowedOrigins__0",
    };

    const string Traffic = TrafficOptions.Section;
    static readonly TrafficOptions Defaults = new();

    public static IReadOnlyList<Setting> All { get; } =
    [
        Database,
        new(SecretFiles.DirectoryKey, "(none)", SecretFiles.DefaultDirectory,
            "Folder of secret files, one a setting, named like its environment variable (e.g. ConnectionStrings__Reviews)."),
        Urls, CacheEnabled, CacheSizeMb, CorsOrigins,
        new($"{Traffic}:PermitsPerSecond", "(none)", $"{Defaults.PermitsPerSecond}", "Requests a second one client (IP address) may make, sustained; 0: no limit. Past it: 429 with Retry-After."),
        new($"{Traffic}:Burst", "(none)", $"{Defaults.Burst}", "Requests one client may make at once above that rate."),
        new($"{Traffic}:TrustedProxies", "(none)", "none", "Load balancers (IPs or CIDR networks; …:0, …:1) whose X-Forwarded-For names the client.")
        {
            EnvironmentVariable = "Reviews__Traffic__TrustedProxies__0",
        },
        new($"{Traffic}:MaxConnections", "(none)", $"{Defaults.MaxConnections}", "Open connections an instance accepts at once."),
        new($"{Traffic}:RequestTimeoutSeconds", "(none)", $"{Defaults.RequestTimeoutSeconds}", "Seconds a request may take before a 504; 0: no limit."),
        new($"{Traffic}:LargePageConcurrency", "(none)", $"{Defaults.LargePageConcurrency}", "Pages of over 100 reviews built at once (the memory they take is bounded by it)."),
        new($"{CacheOptions.Section}:StaleIfDisconnectedSeconds", "(none)", $"{new CacheOptions().StaleIfDisconnectedSeconds}",
            "Seconds cached answers are still served after losing the connection that hears of changes (then dropped)."),
        new($"{ReadYourWritesOptions.Section}:Seconds", "(none)", $"{new ReadYourWritesOptions().Seconds}",
            "Seconds after a write during which that client's reads skip the cache (a cookie; any instance); 0: off."),
        new($"{ShutdownOptions.Section}:DrainSeconds", "(none)", $"{new ShutdownOptions().DrainSeconds}",
            "Seconds between SIGTERM and closing the listener: not ready, connections closed after each answer."),
        new($"{TelemetryOptions.Section}:Metrics", "(none)", $"{new TelemetryOptions().Metrics}".ToLowerInvariant(),
            "Collect metrics and serve them at /metrics (Prometheus); also sent by OTLP when configured."),
        new($"{TelemetryOptions.Section}:Traces", "(none)", "false; true when OTLP is configured", "Trace each request and its SQL."),
        new("OTEL_EXPORTER_OTLP_ENDPOINT", "(none)", "none (nothing exported)",
            "Where to send traces, metrics and logs by OTLP (with the other standard OTEL_* variables).")
        {
            EnvironmentVariable = "OTEL_EXPORTER_OTLP_ENDPOINT",
        },
        DataDirectory,
    ];

    /// <summary>The settings as `reviews --help` lists them.</summary>
    public static string Help() => "Settings (flag | environment variable | default; also in appsettings.json):" +
        string.Concat(All.Select(s => $"\n  {s.Key}: {s.Description}\n    {s}"));

    /// <summary>
    /// As the web host reads them: ASPNETCORE_-prefixed variables (ASPNETCORE_URLS), appsettings.json, the
    /// environment, secret files, then <paramref name="overrides"/> (the flags given).
    /// </summary>
    public static IConfigurationRoot Load(IEnumerable<KeyValuePair<string, string?>> overrides)
    {
        var configuration = new ConfigurationManager();
        configuration.AddEnvironmentVariables("ASPNETCORE_")
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
            .AddEnvironmentVariables();
        configuration.AddSecretFiles().AddInMemoryCollection(overrides);
        return configuration;
    }

    /// <summary>Whether the configuration says where to listen (urls, or ASP.NET Core's http_ports / https_ports).</summary>
    public static bool HasAddresses(IConfiguration configuration) =>
        !string.IsNullOrEmpty(configuration[Urls.Key]) || !string.IsNullOrEmpty(configuration["http_ports"]) || !string.IsNullOrEmpty(configuration["https_ports"]);

    /// <summary>Checks the options' rules before anything starts, so that a bad value is a message and exit 1.</summary>
    public static void Validate(IConfiguration configuration)
    {
        Validate<CacheOptions>(configuration, CacheOptions.Section);
        Validate<TrafficOptions>(configuration, TrafficOptions.Section);
        Validate<ReadYourWritesOptions>(configuration, ReadYourWritesOptions.Section);
        Validate<ShutdownOptions>(configuration, ShutdownOptions.Section);
    }

    static void Validate<T>(IConfiguration configuration, string section) where T : class, new()
    {
        T options;
        try
        {
            options = configuration.GetSection(section).Get<T>() ?? new();
        }
        catch (InvalidOperationException e)
        {
            throw new CliException($"{e.Message} See `reviews --help` for the settings.");
        }
        var errors = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options, new ValidationContext(options), errors, validateAllProperties: true))
            throw new CliException(string.Join(" ", errors.Select(e => $"{section}:{string.Join(",", e.MemberNames)}: {e.ErrorMessage}")));
    }
}
