using Cluster.Shared.Configuration;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Cluster.Supervisor.FrontEnd;

/// <summary>
/// hsts: Strict-Transport-Security on every answer over HTTPS, the workers' and the front end's own, set when the answer
/// starts (so a retry, which clears the response, keeps it, and the config's value wins over a worker's).
/// Registered only when configured.
/// </summary>
internal sealed class StrictTransportSecurity
{
    private readonly StringValues _value;
    private readonly Func<object, Task> _addHeader;

    public StrictTransportSecurity(HstsConfig config)
    {
        _value = config.HeaderValue;
        _addHeader = state =>
        {
            ((HttpResponse)state).Headers.StrictTransportSecurity = _value;
            return Task.CompletedTask;
        };
    }

    public Task InvokeAsync(HttpContext context, Func<Task> next)
    {
        if (context.Request.IsHttps)
        {
            context.Response.OnStarting(_addHeader, context.Response);
        }

        return next();
    }
}
