using System.Diagnostics;

namespace Cluster.TestSupport;

/// <summary>Bounded polling for tests: every loop has a deadline and a step.</summary>
public static class Eventually
{
    public static async Task<bool> TrueAsync(Func<bool> condition, TimeSpan timeout, TimeSpan? step = null)
    {
        return await TrueAsync(() => Task.FromResult(condition()), timeout, step);
    }

    public static async Task<bool> TrueAsync(Func<Task<bool>> condition, TimeSpan timeout, TimeSpan? step = null)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (await condition())
            {
                return true;
            }

            if (clock.Elapsed >= timeout)
            {
                return false;
            }

            await Task.Delay(step ?? TimeSpan.FromMilliseconds(50));
        }
    }
}
