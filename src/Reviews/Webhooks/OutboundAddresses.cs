using System.Net;
using System.Net.Sockets;

namespace Reviews.Webhooks;

/// <summary>
/// Where webhooks may go: not to this machine, the service's own networks or the cloud's metadata service (server-side
/// request forgery) unless <see cref="WebhookOptions.AllowPrivateAddresses"/>. Checked when a subscription is made
/// (a literal address) and again on every connection, on the addresses the name resolves to then (DNS may change).
/// </summary>
public static class OutboundAddresses
{
    static readonly (IPAddress Network, int Bits)[] Internal = [.. new[]
    {
        "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24",
        "192.168.0.0/16", "198.18.0.0/15", "224.0.0.0/4", "240.0.0.0/4", "::/128", "::1/128", "fc00::/7", "fe80::/10", "ff00::/8",
    }.Select(Parse)];

    static (IPAddress, int) Parse(string cidr)
    {
        var parts = cidr.Split('/');
        return (IPAddress.Parse(parts[0]), int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Whether the address is loopback, private, link-local, shared, multicast or reserved.</summary>
    public static bool IsInternal(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
            address = address.MapToIPv4();
        var bytes = address.GetAddressBytes();
        foreach (var (network, bits) in Internal)
        {
            if (network.AddressFamily != address.AddressFamily)
                continue;
            var prefix = network.GetAddressBytes();
            var whole = bits / 8;
            if (bytes.AsSpan(0, whole).SequenceEqual(prefix.AsSpan(0, whole))
                && (bits % 8 == 0 || (bytes[whole] ^ prefix[whole]) >> (8 - bits % 8) == 0))
                return true;
        }
        return false;
    }

    /// <summary>What is wrong with a receiver's URL under these options, or null when it may be used.</summary>
    public static string? Problem(string url, WebhookOptions options)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Host.Length == 0 || url.Length > 2048)
            return "url must be an absolute URL of at most 2048 characters.";
        if (uri.Scheme != Uri.UriSchemeHttps && !(uri.Scheme == Uri.UriSchemeHttp && options.AllowHttp))
            return "url must be https" + (options.AllowHttp ? " or http." : " (Reviews:Webhooks:AllowHttp allows http).");
        if (uri.UserInfo.Length > 0)
            return "url must not carry a user name or password.";
        if (!options.AllowPrivateAddresses && (uri.IsLoopback || IPAddress.TryParse(uri.DnsSafeHost, out var ip) && IsInternal(ip)))
            return "url must not point at a loopback, private or link-local address (Reviews:Webhooks:AllowPrivateAddresses allows it).";
        return null;
    }

    /// <summary>Connects to the first address of the host that may be used; refuses when none may.</summary>
    public static async ValueTask<Stream> ConnectAsync(DnsEndPoint endpoint, bool allowInternal, CancellationToken ct)
    {
        var addresses = IPAddress.TryParse(endpoint.Host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(endpoint.Host, ct);
        var allowed = addresses.Where(a => allowInternal || !IsInternal(a)).ToArray();
        if (allowed.Length == 0)
            throw new HttpRequestException($"{endpoint.Host} resolves to internal addresses only: refused (Reviews:Webhooks:AllowPrivateAddresses).");
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, endpoint.Port, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
