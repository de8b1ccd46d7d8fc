namespace Cluster.Worker.Hosting;

/// <summary>Process exit codes the supervisor can act on.</summary>
internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>A transient failure (for example the port was taken): worth restarting.</summary>
    public const int Failure = 1;

    /// <summary>Gunicorn's convention for a worker that cannot boot because of its configuration: restarting will not help.</summary>
    public const int BootError = 3;
}
