using Reviews.Api;
using Reviews.Cache;
using Reviews.Configuration;
using Reviews.Hosting.Traffic;
using Reviews.Store;
using Reviews.Staff;
using Reviews.Telemetry;
using Reviews.Webhooks;
using Reviews.Writing;

namespace Reviews.Hosting;

/// <summary>
/// Every setting of the service, listed once: the options classes it binds (<see cref="Sections"/>) and the few keys
/// read as they are. `reviews --help`, the command line's checks, the README's table and the service's own binding
/// all read this list. They are read the ASP.NET Core way: appsettings.json beside the program, then environment
/// variables, then secret files, then the command line's flags, each over the one before.
/// </summary>
public static class ServiceSettings
{
    /// <summary>Every options class the service binds; a test fails if the service binds one that is not here.</summary>
    public static IReadOnlyList<Type> Sections { get; } =
    [
        typeof(CacheOptions), typeof(StandbyOptions), typeof(CrossOriginOptions), typeof(TrafficOptions),
        typeof(ReadYourWritesOptions), typeof(ShutdownOptions), typeof(TelemetryOptions),
        typeof(AuthOptions), typeof(ModerationOptions), typeof(PrivacyOptions), typeof(WebhookOptions),
    ];

    public static Setting Database { get; } = new($"ConnectionStrings:{Store.Database.ConnectionStringName}", "--database",
        "the private cluster under the data folder", "The PostgreSQL database, as an Npgsql connection string (`Host=db;Username=reviews;Password=…;Database=reviews`).");

    public static Setting Urls { get; } = new("urls", "--urls", "http://127.0.0.1:3000",
        "Addresses to serve on, `;`-separated (`up` takes `--port`); in a container `http://0.0.0.0:8080`.")
    {
        EnvironmentVariable = "ASPNETCORE_URLS",
    };

    public static Setting DataDirectory { get; } = new("Reviews:DataDirectory", "—", ".data",
        "Folder of the private PostgreSQL cluster and the demo data (the ./reviews launcher sets the checkout's .data).");

    /// <summary>The data folder the configuration names, or the default.</summary>
    public static string DataDirectoryIn(IConfiguration configuration) =>
        configuration[DataDirectory.Key] is { Length: > 0 } given ? given : DataDirectory.Default;

    static readonly Setting[] Read =
    [
        new(SecretFiles.DirectoryKey, "—", SecretFiles.DefaultDirectory,
            "Folder of secret files, one a setting, named like its environment variable (`ConnectionStrings__Reviews`); a file wins over the environment."),
        new("OTEL_EXPORTER_OTLP_ENDPOINT", "—", "none (nothing exported)",
            "Where to send traces, metrics and logs by OTLP, with the other standard `OTEL_*` variables (docs/observability.md)."),
        new("Logging:LogLevel:*", "—", "Information; Microsoft.AspNetCore and Npgsql Warning", "Log levels, ASP.NET Core's way.")
        {
            EnvironmentVariable = "Logging__LogLevel__Npgsql",
        },
    ];

    /// <summary>The row of one property of an options class (for the flags that set it).</summary>
    public static Setting Of<T>(string property) where T : ISettingsSection =>
        SettingsCatalog.Describe(typeof(T)).Single(s => s.Key == $"{T.Section}:{property}");

    /// <summary>Every setting, in the order the help and the README list them.</summary>
    public static IReadOnlyList<Setting> All { get; } =
        [Database, Urls, .. Sections.SelectMany(SettingsCatalog.Describe), .. Read, DataDirectory];

    /// <summary>
    /// Binds every options class in <see cref="Sections"/> from its section, checked by its data annotations when the
    /// service starts.
    /// </summary>
    public static IServiceCollection AddServiceSettings(this IServiceCollection services)
    {
        foreach (var type in Sections)
            typeof(ServiceSettings).GetMethod(nameof(Bind), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
                .MakeGenericMethod(type).Invoke(null, [services]);
        return services;
    }

    static void Bind<T>(IServiceCollection services) where T : class, ISettingsSection =>
        services.AddOptions<T>().BindConfiguration(T.Section).ValidateDataAnnotations().ValidateOnStart();

    /// <summary>Checks every section's rules before anything starts, so that a bad value is a message and exit 1.</summary>
    public static void Validate(IConfiguration configuration) => SettingsCatalog.Validate(configuration, Sections);

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
}
