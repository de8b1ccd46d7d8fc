namespace Cluster.Supervisor.Workers.Restarts;

/// <summary>What to do after an exit nobody asked for.</summary>
internal abstract record RestartDecision;

/// <summary>Restart after <see cref="Delay"/>; <see cref="CrashLooping"/> when the quick exits reached restart.crashLoopAfter.</summary>
internal sealed record RestartAfter(TimeSpan Delay, int QuickExits, bool CrashLooping) : RestartDecision;

/// <summary>Do not restart (state Failed), for the reason given.</summary>
internal sealed record GiveUp(string Reason) : RestartDecision;
