using System.ComponentModel.DataAnnotations;
using Reviews.Configuration;

namespace Reviews.Hosting;

/// <summary>How an instance leaves; bound from <see cref="Section"/>.</summary>
public sealed class ShutdownOptions : ISettingsSection
{
    public static string Section => "Reviews:Shutdown";

    /// <summary>
    /// Seconds between SIGTERM and closing the listener, during which the instance still serves but reports not
    /// ready and closes each connection after its answer, so that a load balancer's kept connections are gone
    /// before the listener is (none is then reused at the moment it closes). 0 (one process, no balancer) closes
    /// the listener at once; in-flight requests are finished either way.
    /// </summary>
    [Setting("On SIGTERM, seconds of not-ready with `Connection: close` before the listener closes (the stack: 3).")]
    [Range(0, 60)]
    public int DrainSeconds { get; set; }
}
