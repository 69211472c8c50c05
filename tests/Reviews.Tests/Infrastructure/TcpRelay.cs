using System.Net.Sockets;

namespace Reviews.Tests.Infrastructure;

/// <summary>
/// A loopback TCP relay between the service and PostgreSQL that a test can cut (every connection through it
/// dropped, new ones refused) and restore, or freeze: the network fault, without touching the shared server.
/// </summary>
public sealed class TcpRelay : IAsyncDisposable
{
    readonly TcpListener listener = new(IPAddress.Loopback, 0);
    readonly int targetPort;
    readonly CancellationTokenSource stopped = new();
    readonly List<TcpClient> open = [];
    volatile bool cut;
    volatile bool frozen;
    int accepted;
    long dropped;

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

    /// <summary>
    /// From now on nothing passes either way, and new connections are accepted and never answered: a server that
    /// hangs on a host whose network still answers.
    /// </summary>
    public void Freeze() => frozen = true;

    /// <summary>The connections accepted so far.</summary>
    public int Accepted => Volatile.Read(ref accepted);

    /// <summary>The bytes read and dropped since the relay froze (what was sent to the server that hangs).</summary>
    public long Dropped => Interlocked.Read(ref dropped);

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
            Interlocked.Increment(ref accepted);
            if (frozen)
                lock (open)
                    open.Add(client);
            else
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
            await Task.WhenAny(PassAsync(client.GetStream(), server.GetStream()), PassAsync(server.GetStream(), client.GetStream()));
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

    // The bytes from one side to the other, until either closes; once frozen, read and dropped.
    async Task PassAsync(NetworkStream from, NetworkStream to)
    {
        var buffer = new byte[16384];
        int read;
        while ((read = await from.ReadAsync(buffer, stopped.Token)) > 0)
            if (!frozen)
                await to.WriteAsync(buffer.AsMemory(0, read), stopped.Token);
            else
                Interlocked.Add(ref dropped, read);
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
