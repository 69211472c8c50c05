using System.Collections.Concurrent;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using StandardWebhooks;

namespace Reviews.Tests.Infrastructure;

/// <summary>
/// A real webhook receiver on Kestrel (127.0.0.1, a port of its own that it keeps across a stop and a start): it checks
/// every delivery's signature with an independent implementation (the StandardWebhooks package) and records it. It can
/// be taken down, slowed, or made to fail.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    readonly int port = FreePort();
    WebApplication? app;

    public sealed record Delivery(string Id, string Type, long ReviewId, JsonNode Body, bool SignatureValid);

    public ConcurrentQueue<Delivery> Received { get; } = new();

    /// <summary>Requests being answered now (a slow receiver holds them).</summary>
    public int InFlight => Volatile.Read(ref inFlight);
    int inFlight;

    /// <summary>The subscription's secret, to verify with.</summary>
    public string Secret { get; set; } = "";

    /// <summary>How long each answer takes.</summary>
    public TimeSpan Delay { get; set; }

    public string Url => $"http://127.0.0.1:{port}/hook";

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration["urls"] = $"http://127.0.0.1:{port}";
        builder.Logging.ClearProviders();
        app = builder.Build();
        app.MapPost("/hook", async (HttpRequest request) =>
        {
            Interlocked.Increment(ref inFlight);
            try
            {
                var body = await new StreamReader(request.Body).ReadToEndAsync();
                var valid = true;
                try
                {
                    new StandardWebhook(Secret).Verify(body, request.Headers);
                }
                catch (Exception)
                {
                    valid = false;
                }
                if (Delay > TimeSpan.Zero)
                    await Task.Delay(Delay);
                var json = JsonNode.Parse(body)!;
                Received.Enqueue(new Delivery(request.Headers["webhook-id"].ToString(), (string)json["type"]!, (long)json["data"]!["review_id"]!, json, valid));
                return Results.Ok();
            }
            finally
            {
                Interlocked.Decrement(ref inFlight);
            }
        });
        await app.StartAsync();
    }

    /// <summary>Down: connections refused until <see cref="StartAsync"/>.</summary>
    public async Task StopAsync()
    {
        if (app is null)
            return;
        await app.StopAsync();
        await app.DisposeAsync();
        app = null;
    }

    /// <summary>Distinct deliveries received (by webhook-id), and how many were received more than once.</summary>
    public (int Distinct, int Duplicates) Counts()
    {
        var ids = Received.Select(d => d.Id).ToList();
        return (ids.Distinct().Count(), ids.Count - ids.Distinct().Count());
    }

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public ValueTask DisposeAsync() => new(StopAsync());
}
