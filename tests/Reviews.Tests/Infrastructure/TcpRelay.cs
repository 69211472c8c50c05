using System.Net.Sockets;

namespace Reviews.Tests.Infrastructure;

/// <summary>
/// A loopback TCP relay between the service and PostgreSQL that a test can cut (every connection through it
/// dropped, new ones refused) and restore: the network fault, without touching the shared server.
/// </summary>
public sealed class TcpRelay : IAsyncDisposable
{
    readonly TcpListener listener = new(IPAddress.Loopback, 0);
    readonly int targetPort;
    readonly CancellationTokenSource stopped = new();
    readonly List<TcpClient> open = [];
    volatile bool cut;

    public TcpRelay(int targetPort)
    {
        this.targetPort = targetPort;
        listener.Start();
        _ = AcceptAsync();
    }

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    /// <summary>Drops every connection through the relay and refuses new ones until <see cref="Restore"/>.</summary>
    public void Cut()
    {
        cut = true;
        lock (open)
        {
            foreach (var client in open)
                client.Dispose();
            open.Clear();
        }
    }

    public void Restore() => cut = false;

    async Task AcceptAsync()
    {
        while (!stopped.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stopped.Token);
            }
            catch (Exception)
            {
                return;
            }
            if (cut)
            {
                client.Dispose();
                continue;
            }
            _ = RelayAsync(client);
        }
    }

    async Task RelayAsync(TcpClient client)
    {
        var server = new TcpClient();
        lock (open)
        {
            open.Add(client);
            open.Add(server);
        }
        try
        {
            await server.ConnectAsync(IPAddress.Loopback, targetPort, stopped.Token);
            await Task.WhenAny(client.GetStream().CopyToAsync(server.GetStream(), stopped.Token),
                server.GetStream().CopyToAsync(client.GetStream(), stopped.Token));
        }
        catch (Exception)
        {
            // Cut, or one side closed: both go.
        }
        finally
        {
            client.Dispose();
            server.Dispose();
        }
    }

    public ValueTask DisposeAsync()
    {
        stopped.Cancel();
        listener.Stop();
        Cut();
        stopped.Dispose();
        return ValueTask.CompletedTask;
    }
}
