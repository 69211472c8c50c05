using Microsoft.Extensions.Options;

namespace Reviews.Hosting;

/// <summary>
/// The drain before Kestrel stops (<see cref="ShutdownOptions.DrainSeconds"/>): the host calls StoppingAsync on
/// lifecycle services after SIGTERM and before it stops any of them, the web server included.
/// </summary>
public sealed class ShutdownDrain(IOptions<ShutdownOptions> options, ILogger<ShutdownDrain> log) : IHostedLifecycleService
{
    volatile bool draining;

    public bool Draining => draining;

    /// <summary>Adds "Connection: close" to every answer once the drain has begun.</summary>
    public Task CloseConnectionsWhileDraining(HttpContext context, RequestDelegate next)
    {
        if (draining)
            context.Response.Headers.Connection = "close";
        return next(context);
    }

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        if (options.Value.DrainSeconds == 0)
            return;
        draining = true;
        log.LogInformation("Draining for {Seconds} s before closing the listener.", options.Value.DrainSeconds);
        await Task.Delay(TimeSpan.FromSeconds(options.Value.DrainSeconds), cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
