using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Reviews.Changes;
using Reviews.Hosting;
using Reviews.Store;

namespace Reviews.Tests.Infrastructure;

/// <summary>The real service on a real Kestrel socket (127.0.0.1, a free port), with a client for it.</summary>
public sealed class ApiServer : IAsyncDisposable
{
    readonly WebApplication app;

    public HttpClient Client { get; }
    public string ConnectionString { get; }

    ApiServer(WebApplication app, string connectionString, Uri address)
    {
        this.app = app;
        ConnectionString = connectionString;
        // Without a cookie jar, like most scripts: reads after a write come from the cache unless a test keeps cookies.
        Client = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = address };
    }

    public T Service<T>() where T : notnull => app.Services.GetRequiredService<T>();

    /// <summary>Starts the service on the database, with <paramref name="settings"/> (configuration keys) over its defaults.</summary>
    public static Task<ApiServer> StartAsync(string connectionString, params (string Key, string Value)[] settings) =>
        StartAsync(connectionString, null, settings);

    /// <summary>As above, and <paramref name="services"/> run on the service's registrations (an in-memory exporter, say).</summary>
    public static async Task<ApiServer> StartAsync(string connectionString, Action<IServiceCollection>? services, params (string Key, string Value)[] settings)
    {
        var configuration = new Dictionary<string, string?>
        {
            [$"ConnectionStrings:{Database.ConnectionStringName}"] = connectionString,
            ["urls"] = "http://127.0.0.1:0",
            // The tests are one client sending far more than a person would: no per-client limit unless a test sets one.
            ["Reviews:Traffic:PermitsPerSecond"] = "0",
        };
        foreach (var (key, value) in settings)
            configuration[key] = value;
        var app = ReviewsApi.Build(configuration, services);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new ApiServer(app, connectionString, new Uri(address));
    }

    /// <summary>
    /// Returns once the instance has subscribed to change notices <paramref name="times"/> times (answers are cached only
    /// once it has: subscribing clears the cache).
    /// </summary>
    public Task SubscribedAsync(long times = 1) =>
        Wait.UntilAsync(() => Service<ChangeFeed>().Subscriptions >= times, $"subscription {times} to change notices");

    /// <summary>Stops the service as SIGTERM does (drain, close the listener, finish in-flight requests).</summary>
    public Task StopAsync() => app.StopAsync();

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
