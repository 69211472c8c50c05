using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Reviews.Tests.Infrastructure;

/// <summary>
/// An OTLP/HTTP receiver on the loopback, standing in for a collector: it keeps every export it is sent
/// (/v1/traces, /v1/metrics, /v1/logs), with its content type and body (protobuf holds names as plain UTF-8).
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    public sealed record Export(string Path, string? ContentType, string Body);

    readonly WebApplication app;

    OtlpReceiver(WebApplication app) => this.app = app;

    public ConcurrentQueue<Export> Received { get; } = new();

    public string Endpoint => app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

    public static async Task<OtlpReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration["urls"] = "http://127.0.0.1:0";
        var receiver = new OtlpReceiver(builder.Build());
        receiver.app.MapPost("/v1/{signal}", async (HttpRequest request, string signal) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            receiver.Received.Enqueue(new Export($"/v1/{signal}", request.ContentType, System.Text.Encoding.UTF8.GetString(body.ToArray())));
            return Results.Ok();
        });
        await receiver.app.StartAsync();
        return receiver;
    }

    /// <summary>The first export to <paramref name="path"/> that <paramref name="matches"/>, waiting up to 20 s for it.</summary>
    public async Task<Export?> WaitForAsync(string path, Func<string, bool> matches)
    {
        for (var i = 0; i < 200; i++)
        {
            if (Received.FirstOrDefault(e => e.Path == path && matches(e.Body)) is { } export)
                return export;
            await Task.Delay(100);
        }
        return null;
    }

    public ValueTask DisposeAsync() => app.DisposeAsync();
}
