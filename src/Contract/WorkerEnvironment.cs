namespace Cluster.Contract;

/// <summary>
/// The environment the supervisor gives every worker. Any program that serves HTTP on 127.0.0.1:$PORT is a worker,
/// whatever its language.
/// </summary>
public static class WorkerEnvironment
{
    /// <summary>The loopback port the worker must listen on. A new port is given on every start.</summary>
    public const string Port = "PORT";

    /// <summary>The worker's slot in its app, 0..N-1, kept across restarts of that slot (PM2's NODE_APP_INSTANCE).</summary>
    public const string WorkerId = "WORKER_ID";

    /// <summary>The name of the worker's app ("default" for a config without "apps"), so a program shared by several apps can tell which it serves.</summary>
    public const string AppName = "APP_NAME";

    /// <summary>The supervisor's PID, so a worker can notice that its supervisor is gone.</summary>
    public const string SupervisorPid = "SUPERVISOR_PID";
}
