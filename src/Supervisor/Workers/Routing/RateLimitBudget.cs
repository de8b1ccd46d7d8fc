using Cluster.Shared.Configuration;

namespace Cluster.Supervisor.Workers.Routing;

/// <summary>
/// The per-client budget (rateLimit) a request counts against: an app's own (<see cref="App"/> its name), or the
/// machine's (<see cref="App"/> null), which every app without one of its own shares, so that a client has one budget
/// for all of them. Equal budgets are the same budget.
/// </summary>
internal sealed record RateLimitBudget(string? App, RateLimitConfig Limit)
{
    /// <summary>The budget of <paramref name="app"/>'s requests: its own, else the machine's; null when neither limits them.</summary>
    public static RateLimitBudget? Of(AppConfig app, RateLimitConfig? machine) =>
        app.RateLimit is { } own ? new RateLimitBudget(app.Name, own) : Machine(machine);

    /// <summary>The machine's budget (also of the requests no app matches); null without a top-level rateLimit.</summary>
    public static RateLimitBudget? Machine(RateLimitConfig? machine) => machine is null ? null : new RateLimitBudget(null, machine);
}
