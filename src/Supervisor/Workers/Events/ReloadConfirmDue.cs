using Cluster.Supervisor.Workers.Operations;

namespace Cluster.Supervisor.Workers.Events;

/// <summary>The new generation of this reload has been ready for reload.confirmAfter.</summary>
internal sealed record ReloadConfirmDue(RollingReload Reload) : ControlEvent;
