using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Reviews.Changes;
using Reviews.Configuration;
using Reviews.Hosting;

namespace Reviews.Tests.Configuration;

/// <summary>One list of settings: what the service binds is what `reviews --help` and the README describe.</summary>
public sealed class SettingsTests
{
    /// <summary>The options classes the real service registers for binding from configuration (ours, not the framework's).</summary>
    static List<Type> BoundByTheService()
    {
        IServiceCollection? registered = null;
        // Building connects to nothing: any connection string will do.
        using var _ = ReviewsApi.Build([new("ConnectionStrings:Reviews", "Host=127.0.0.1;Port=1;Username=x")], s => registered = s);
        return registered!
            .Select(d => d.ServiceType)
            .Where(t => t.IsGenericType && t.GetGenericTypeDefinition() == typeof(IOptionsChangeTokenSource<>))
            .Select(t => t.GetGenericArguments()[0])
            .Where(t => t.Namespace?.StartsWith("Reviews", StringComparison.Ordinal) == true)
            .Distinct().ToList();
    }

    [Fact]
    public async Task Every_options_class_the_service_binds_is_in_the_help_with_every_one_of_its_settings()
    {
        var bound = BoundByTheService();
        Assert.Equal(ServiceSettings.Sections.OrderBy(t => t.Name), bound.OrderBy(t => t.Name));
        var help = (await CommandLine.RunAsync("--help")).Output;
        foreach (var type in bound)
            foreach (var property in type.GetProperties().Where(p => p.CanWrite))
            {
                var key = $"{SettingsCatalog.SectionOf(type)}:{property.Name}";
                Assert.True(property.GetCustomAttribute<SettingAttribute>() is not null, $"{key} has no [Setting] description");
                Assert.Contains(key, help);
            }
    }

    [Fact]
    public void The_readme_table_is_the_one_the_settings_make()
    {
        var readme = File.ReadAllText(Path.Combine(Repository.Root, "README.md"));
        var table = SettingsCatalog.MarkdownTable(ServiceSettings.All);
        Assert.True(readme.Contains(table, StringComparison.Ordinal),
            $"README.md's settings table is not the generated one; paste this under \"Configuration\":\n{table}");
    }

    [Fact]
    public void The_change_positions_hear_of_a_change_before_the_cache_evicts()
    {
        using var app = ReviewsApi.Build([new("ConnectionStrings:Reviews", "Host=127.0.0.1;Port=1;Username=x")]);
        var subscribers = app.Services.GetServices<IChangeSubscriber>().ToList();
        Assert.IsType<ChangePositions>(subscribers[0]);
        Assert.Equal(2, subscribers.Count);
    }
}
