using System.Collections;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;

namespace Reviews.Configuration;

/// <summary>
/// What the options classes say of themselves (<see cref="ISettingsSection"/>, <see cref="SettingAttribute"/>), turned
/// into rows for `reviews --help` and the README, and their rules checked before anything starts.
/// </summary>
public static class SettingsCatalog
{
    /// <summary>The configuration section of an options class.</summary>
    public static string SectionOf(Type options) =>
        (string)options.GetProperty(nameof(ISettingsSection.Section), BindingFlags.Public | BindingFlags.Static)?.GetValue(null)!
        ?? throw new ArgumentException($"{options.Name} does not name its section (ISettingsSection).");

    /// <summary>One row a described property; defaults are the class's own initial values unless it words them.</summary>
    public static IEnumerable<Setting> Describe(Type options)
    {
        var section = SectionOf(options);
        var defaults = Activator.CreateInstance(options);
        foreach (var property in options.GetProperties())
        {
            if (property.GetCustomAttribute<SettingAttribute>() is not { } about)
                continue;
            var key = $"{section}:{property.Name}";
            var list = property.PropertyType.IsArray;
            yield return new Setting(key, about.Flag ?? "—", about.Default ?? Format(property.GetValue(defaults)), about.Description)
            {
                // A list is set one item an index: …__0, …__1.
                EnvironmentVariable = key.Replace(":", "__") + (list ? "__0" : ""),
            };
        }
    }

    static string Format(object? value) => value switch
    {
        null => "none",
        bool b => b ? "true" : "false",
        IEnumerable items and not string => items.Cast<object>().Any() ? string.Join(", ", items.Cast<object>()) : "none",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "none",
    };

    /// <summary>The settings as `reviews --help` lists them.</summary>
    public static string Help(IEnumerable<Setting> settings) => "Settings (flag | environment variable | default; also in appsettings.json):" +
        string.Concat(settings.Select(s => $"\n  {s.Key}: {s.Description}\n    {s}"));

    /// <summary>The settings as the README's "Configuration" table shows them (a test keeps the README equal to it).</summary>
    public static string MarkdownTable(IEnumerable<Setting> settings) =>
        "| setting (appsettings.json) | environment variable | flag | default | what |\n|---|---|---|---|---|\n" +
        string.Concat(settings.Select(s => $"| `{s.Key}` | `{s.EnvironmentVariable}` | {Code(s.Flag)} | {s.Default} | {s.Description} |\n"));

    static string Code(string flag) => flag.StartsWith("--", StringComparison.Ordinal) ? $"`{flag}`" : flag;

    /// <summary>
    /// An options class's values as configured, for the few choices made while the services are registered (which
    /// parts to add at all); everything else takes them bound, as IOptions.
    /// </summary>
    public static T Read<T>(IConfiguration configuration) where T : class, ISettingsSection, new() =>
        configuration.GetSection(T.Section).Get<T>() ?? new();

    /// <summary>
    /// Binds each options class from <paramref name="configuration"/> and checks its rules (data annotations), so that a
    /// bad value is one message naming the setting.
    /// </summary>
    public static void Validate(IConfiguration configuration, IEnumerable<Type> sections)
    {
        foreach (var type in sections)
        {
            var section = SectionOf(type);
            object options;
            try
            {
                options = configuration.GetSection(section).Get(type) ?? Activator.CreateInstance(type)!;
            }
            catch (InvalidOperationException e)
            {
                throw new SettingsException($"{e.Message} See `reviews --help` for the settings.");
            }
            var errors = new List<ValidationResult>();
            if (!Validator.TryValidateObject(options, new ValidationContext(options), errors, validateAllProperties: true))
                throw new SettingsException(string.Join(" ", errors.Select(e => $"{section}:{string.Join(",", e.MemberNames)}: {e.ErrorMessage}")));
        }
    }
}
