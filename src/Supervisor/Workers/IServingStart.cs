namespace Cluster.Supervisor.Workers;

/// <summary>
/// Called once, when the workers can first take traffic: the front end then starts accepting on sockets it was handed
/// (systemd, an upgrade: connections wait in their queue until then rather than get 503) and, in an upgrade, the
/// predecessor is told. With sockets bound at start the front end accepts from the start, and this does nothing.
/// </summary>
internal interface IServingStart
{
    void WorkersReady();
}
