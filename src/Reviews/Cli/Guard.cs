using System.CommandLine;
using Microsoft.Extensions.Options;
using Npgsql;
using Reviews.Configuration;
using Reviews.Hosting;
using Reviews.Importer;
using Reviews.Store;
using static Reviews.Cli.CommandOptions;

namespace Reviews.Cli;

/// <summary>How every command that needs a database runs: its flags over the settings, checked, and the database found.</summary>
static class Guard
{
    public static KeyValuePair<string, string?>[] Override(Setting setting, string value) => [new(setting.Key, value)];

    /// <summary>The flags given, as configuration keys over appsettings.json and the environment.</summary>
    static Dictionary<string, string?> Flags(ParseResult parse, IEnumerable<KeyValuePair<string, string?>> extra)
    {
        var flags = new Dictionary<string, string?>(extra);
        if (parse.GetResult(DatabaseOption) is { Implicit: false })
            flags[ServiceSettings.Database.Key] = parse.GetValue(DatabaseOption);
        if (parse.GetResult(NoCacheOption) is { Implicit: false } && parse.GetValue(NoCacheOption))
            flags[CacheEnabled.Key] = "false";
        if (parse.GetResult(CacheMbOption) is { Implicit: false } && parse.GetValue(CacheMbOption) is { } mb)
            flags[CacheSizeMb.Key] = mb.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return flags;
    }

    /// <summary>
    /// Runs a command against its database (configured, else the private cluster, which it starts and stops again if
    /// it was not running) and turns known failures into a message and exit 1.
    /// </summary>
    public static async Task<int> Guarded(ParseResult parse, Func<TextWriter, Target, Task<int>> run, IEnumerable<KeyValuePair<string, string?>>? extra = null)
    {
        var output = parse.InvocationConfiguration.Output;
        var error = parse.InvocationConfiguration.Error;
        LocalPostgres? local = null;
        try
        {
            var flags = Flags(parse, extra ?? []);
            var configuration = ServiceSettings.Load(flags);
            if (!ServiceSettings.HasAddresses(configuration))
                flags[ServiceSettings.Urls.Key] = ServiceSettings.Urls.Default;
            ServiceSettings.Validate(configuration);
            var dataDirectory = ServiceSettings.DataDirectoryIn(configuration);
            var connection = configuration.GetConnectionString(Database.ConnectionStringName);
            if (string.IsNullOrWhiteSpace(connection))
            {
                local = new LocalPostgres(dataDirectory, output);
                connection = await local.StartAsync(CancellationToken.None);
                flags[ServiceSettings.Database.Key] = connection;
            }
            return await run(output, new Target(flags, configuration, connection, dataDirectory));
        }
        catch (Exception e) when (e is CliException or SettingsException or ImportException or NpgsqlException or ArgumentException or IOException or OptionsValidationException)
        {
            error.WriteLine($"error: {Causes(e)}");
            return 1;
        }
        catch (OperationCanceledException)
        {
            error.WriteLine("Cancelled; nothing was changed by the unfinished step.");
            return 130;
        }
        finally
        {
            if (local is not null)
                await local.StopAsync();
        }
    }

    /// <summary>
    /// The message and its causes ("Failed to connect to db1:5432: The remote certificate was rejected …"): an operator
    /// needs the cause, not only that it failed. (Npgsql's messages hold no password.)
    /// </summary>
    static string Causes(Exception e)
    {
        var message = e.Message;
        for (var inner = e.InnerException; inner is not null; inner = inner.InnerException)
            if (!message.Contains(inner.Message, StringComparison.Ordinal))
                message += $": {inner.Message}";
        return message;
    }
}
