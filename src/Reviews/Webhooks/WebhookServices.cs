using Microsoft.Extensions.Options;

namespace Reviews.Webhooks;

public static class WebhookServices
{
    /// <summary>The delivery worker and its HTTP client: no redirects followed, every connection checked (<see cref="OutboundAddresses"/>).</summary>
    public static IServiceCollection AddWebhooks(this IServiceCollection services)
    {
        services.AddHttpClient(WebhookDelivery.ClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(sp =>
            {
                var options = sp.GetRequiredService<IOptions<WebhookOptions>>().Value;
                return new SocketsHttpHandler
                {
                    AllowAutoRedirect = false, // a redirect is the receiver's answer, not an order to call elsewhere
                    UseCookies = false,
                    ConnectCallback = (context, ct) => OutboundAddresses.ConnectAsync(context.DnsEndPoint, options.AllowPrivateAddresses, ct),
                };
            });
        return services.AddSingleton<WebhookMetrics>().AddHostedService<WebhookDelivery>();
    }
}
