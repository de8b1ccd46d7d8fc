using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Cluster.Shared.Configuration;
using Cluster.Supervisor.Metrics;
using Cluster.Supervisor.Workers;
using Cluster.Supervisor.Workers.Events;
using Cluster.Supervisor.Workers.Operations;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Cluster.Supervisor.Control;

/// <summary>
/// The control API: a few fixed paths, dispatched by a switch. ASP.NET's routing would build its matcher on the first
/// request and keep it, for nothing a switch does not do: without it, the first `supervisor status` costs the
/// long-running supervisor several MB less resident memory (README, "Performance").
/// </summary>
internal sealed class ControlEndpoints(ControlLoop loop, StatusCollector status, MetricsEndpoint metrics, LogEndpoint logs, SupervisorConfig config, ILogger logger)
{
    private const string WorkersPrefix = "/v1/workers/";

    public Task InvokeAsync(HttpContext context)
    {
        var method = context.Request.Method;
        var path = context.Request.Path.Value;
        return path switch
        {
            "/v1/status" when HttpMethods.IsGet(method) => StatusAsync(context),
            "/v1/logs" when HttpMethods.IsGet(method) => logs.InvokeAsync(context),
            "/v1/reload" when HttpMethods.IsPost(method) => ReloadAsync(context),
            "/v1/rollback" when HttpMethods.IsPost(method) => RollbackAsync(context),
            "/v1/scale" when HttpMethods.IsPost(method) => ScaleAsync(context),
            "/v1/restart" when HttpMethods.IsPost(method) => RestartAsync(context),
            "/v1/stop" when HttpMethods.IsPost(method) => StopAsync(context),
            "/v1/upgrade" when HttpMethods.IsPost(method) => UpgradeAsync(context),
            MetricsConfig.Path when HttpMethods.IsGet(method) || HttpMethods.IsHead(method) => metrics.InvokeAsync(context),
            not null when path.StartsWith(WorkersPrefix, StringComparison.Ordinal) && HttpMethods.IsGet(method) => WorkerAsync(context, path[WorkersPrefix.Length..]),
            "/v1/status" or "/v1/logs" => MethodNotAllowed(context, HttpMethods.Get),
            not null when path.StartsWith(WorkersPrefix, StringComparison.Ordinal) => MethodNotAllowed(context, HttpMethods.Get),
            "/v1/reload" or "/v1/rollback" or "/v1/scale" or "/v1/restart" or "/v1/stop" or "/v1/upgrade" => MethodNotAllowed(context, HttpMethods.Post),
            MetricsConfig.Path => MethodNotAllowed(context, $"{HttpMethods.Get}, {HttpMethods.Head}"),
            _ => NotFound(context),
        };
    }

    private async Task StatusAsync(HttpContext context) =>
        await WriteAsync(context, StatusCodes.Status200OK, await status.CollectAsync(context.RequestAborted), ControlJson.Default.StatusReport);

    /// <summary>GET /v1/workers/{id}: one slot and its last exits; 404 (with the ids there are) for an unknown id.</summary>
    private async Task WorkerAsync(HttpContext context, string id)
    {
        if (int.TryParse(id, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var workerId)
            && await status.CollectWorkerAsync(App(context), workerId, context.RequestAborted) is { } detail)
        {
            await WriteAsync(context, StatusCodes.Status200OK, detail, ControlJson.Default.WorkerDetailReport);
            return;
        }

        var apps = await status.WorkerIdsAsync(context.RequestAborted);
        var known = App(context) is { } named && apps.All(a => a.App != named) ? $"there is no app {named}; the apps are {string.Join(", ", apps.Select(a => a.App))}"
            : App(context) is null && apps.Count > 1 ? $"name the app (--app): the apps are {string.Join(", ", apps.Select(a => a.App))}"
            : apps.FirstOrDefault(a => App(context) is null || a.App == App(context)).Ids is not { Count: > 0 } ids ? "there are no workers now"
            : $"the worker ids are {string.Join(", ", ids)}";
        await WriteAsync(context, StatusCodes.Status404NotFound, new OperationAnswer(false, $"no worker {id}: {known}", []), ControlJson.Default.OperationAnswer);
    }

    private async Task ReloadAsync(HttpContext context)
    {
        ControlLog.Command(logger, App(context) is { } app ? $"reload {app}" : "reload");
        var reply = new TaskCompletionSource<OperationResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        loop.Post(new ReloadRequested(reply, App(context)));
        await AnswerAsync(context, await reply.Task);
    }

    private async Task RollbackAsync(HttpContext context)
    {
        ControlLog.Command(logger, App(context) is { } app ? $"rollback {app}" : "rollback");
        var reply = new TaskCompletionSource<OperationResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        loop.Post(new RollbackRequested(reply, App(context)));
        await AnswerAsync(context, await reply.Task);
    }

    private async Task ScaleAsync(HttpContext context)
    {
        ScaleRequestBody? body;
        try
        {
            body = await context.Request.ReadFromJsonAsync(ControlJson.Default.ScaleRequestBody, context.RequestAborted);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // Not JSON, or not sent as application/json: answered like a body without "workers".
            body = null;
        }

        if (body?.Workers is null || !ScaleTarget.TryParse(body.Workers, out var target))
        {
            await AnswerAsync(context, OperationResult.Failure($"expected {{\"workers\": \"N\"}}, \"+K\" or \"-K\" with N from 1 to {WorkerCount.Max}") with { InvalidConfig = true });
            return;
        }

        ControlLog.Command(logger, App(context) is { } app ? $"scale {app} {target}" : $"scale {target}");
        var reply = new TaskCompletionSource<OperationResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        loop.Post(new ScaleRequested(target!, reply, App(context)));
        await AnswerAsync(context, await reply.Task);
    }

    /// <summary>POST /v1/restart?app=NAME[&amp;worker=ID]: new processes of the same config, one slot at a time.</summary>
    private async Task RestartAsync(HttpContext context)
    {
        int? worker = null;
        if (context.Request.Query["worker"] is { Count: > 0 } id)
        {
            if (!int.TryParse(id[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var workerId))
            {
                await AnswerAsync(context, OperationResult.Failure($"expected worker=ID, a worker id (0 or more), got \"{id[0]}\"") with { InvalidConfig = true });
                return;
            }

            worker = workerId;
        }

        ControlLog.Command(logger, $"restart{(App(context) is { } app ? $" {app}" : string.Empty)}{(worker is int one ? $" {one}" : string.Empty)}");
        var reply = new TaskCompletionSource<OperationResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        loop.Post(new RestartRequested(App(context), worker, reply));
        await AnswerAsync(context, await reply.Task);
    }

    private Task StopAsync(HttpContext context)
    {
        ControlLog.Command(logger, "stop");
        loop.Post(new StopRequested("supervisor stop"));
        // What the CLI should wait at most: the drain, the workers' stop timeout, SIGKILL's bounded wait, a margin.
        var expected = config.ShutdownTimeout + config.LongestStopTimeout + ControlLoop.KillWait + TimeSpan.FromSeconds(10);
        return WriteAsync(context, StatusCodes.Status202Accepted, new StopAnswer(true, Environment.ProcessId, (int)expected.TotalSeconds), ControlJson.Default.StopAnswer);
    }

    /// <summary>The app a command names (?app=NAME); null for none.</summary>
    private static string? App(HttpContext context) => context.Request.Query["app"] is { Count: > 0 } app && !string.IsNullOrEmpty(app[0]) ? app[0] : null;

    /// <summary>
    /// POST /v1/upgrade: answered once the new supervisor has taken over (this one then drains and stops), or the
    /// upgrade has failed (the new supervisor stopped; this one serves on) or was refused.
    /// </summary>
    private async Task UpgradeAsync(HttpContext context)
    {
        ControlLog.Command(logger, "upgrade");
        var reply = new TaskCompletionSource<OperationResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        loop.Post(new UpgradeRequested("supervisor upgrade", reply));
        var result = await reply.Task;
        // What the CLI should wait at most for this process to be gone: the drain, the workers' stop timeout, a margin.
        var expected = FrontEnd.ProxyFrontEnd.AcceptedConnectionGrace + config.ShutdownTimeout + config.LongestStopTimeout + ControlLoop.KillWait + TimeSpan.FromSeconds(10);
        await WriteAsync(
            context,
            StatusCodeOf(result),
            new UpgradeAnswer(result.Ok, result.Message, result.Details, result.Pid, Environment.ProcessId, (int)expected.TotalSeconds),
            ControlJson.Default.UpgradeAnswer);
    }

    private static Task AnswerAsync(HttpContext context, OperationResult result) =>
        WriteAsync(context, StatusCodeOf(result), new OperationAnswer(result.Ok, result.Message, result.Details), ControlJson.Default.OperationAnswer);

    private static int StatusCodeOf(OperationResult result) =>
        result.Ok ? StatusCodes.Status200OK : result.InvalidConfig ? StatusCodes.Status422UnprocessableEntity : result.UnknownApp ? StatusCodes.Status404NotFound : StatusCodes.Status409Conflict;

    private static Task WriteAsync<T>(HttpContext context, int statusCode, T value, JsonTypeInfo<T> type)
    {
        context.Response.StatusCode = statusCode;
        return context.Response.WriteAsJsonAsync(value, type, contentType: null, context.RequestAborted);
    }

    private static Task MethodNotAllowed(HttpContext context, string allowed)
    {
        context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
        context.Response.Headers.Allow = allowed;
        return Task.CompletedTask;
    }

    private static Task NotFound(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status404NotFound;
        return Task.CompletedTask;
    }
}
