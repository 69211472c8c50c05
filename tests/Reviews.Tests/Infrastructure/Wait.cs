namespace Reviews.Tests.Infrastructure;

/// <summary>
/// Waiting for something the system does on its own time (a notice heard, a subscription made, a drain begun): the
/// condition is checked until it holds, and the test fails, naming what it waited for, if it does not within the bound.
/// </summary>
public static class Wait
{
    public static async Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(10));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"Waited {(within ?? TimeSpan.FromSeconds(10)).TotalSeconds:0} s for {what}; it did not happen.");
            await Task.Delay(10);
        }
    }

    public static Task UntilAsync(Func<bool> condition, string what, TimeSpan? within = null) =>
        UntilAsync(() => Task.FromResult(condition()), what, within);
}
