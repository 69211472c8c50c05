using System.ComponentModel.DataAnnotations;
using Reviews.Configuration;

namespace Reviews.Webhooks;

/// <summary>How webhook events are delivered, bound from <see cref="Section"/>.</summary>
public sealed class WebhookOptions : ISettingsSection
{
    public static string Section => "Reviews:Webhooks";

    [Setting("Deliver webhook events from this instance (every instance may: each delivery is taken by one at a time).")]
    public bool Enabled { get; set; } = true;

    [Setting("Allow http:// receivers (false: https only). For tests and private networks.")]
    public bool AllowHttp { get; set; }

    [Setting("Allow receivers at loopback, private, link-local and other internal addresses (false: refused, against request forgery).")]
    public bool AllowPrivateAddresses { get; set; }

    [Setting("Seconds a receiver has to answer a delivery.")]
    [Range(1, 60)]
    public int TimeoutSeconds { get; set; } = 10;

    [Setting("Milliseconds between looks for new events when there were none.")]
    [Range(50, 60_000)]
    public int PollMilliseconds { get; set; } = 500;

    [Setting("Multiplies every wait of the retry schedule (5 s, 30 s, 2 min … 8 h: 12 attempts over 31.7 h); 1 in service.")]
    [Range(0.00001, 10)]
    public double BackoffScale { get; set; } = 1;
}
