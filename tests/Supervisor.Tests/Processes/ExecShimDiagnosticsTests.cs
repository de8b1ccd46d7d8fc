using Cluster.Supervisor.Processes;

namespace Cluster.Supervisor.Tests.Processes;

/// <summary>The exec shim's own .NET runtime runs without diagnostics (no files in $TMPDIR); the worker gets what it would have had.</summary>
public sealed class ExecShimDiagnosticsTests
{
    [Test]
    public void The_shim_runs_with_diagnostics_off_and_the_worker_gets_its_own_worker_env_value_back()
    {
        var target = new ChildProcessStartInfo("/usr/bin/server", [], new Dictionary<string, string> { [ExecShim.DiagnosticsVariable] = "1", ["PORT"] = "4000" }, "/srv");

        var wrapped = ExecShim.Wrap(target, ["/opt/supervisor"], new ExecShimOptions(ParentPid: 7));

        Assert.That(wrapped.Environment[ExecShim.DiagnosticsVariable], Is.EqualTo("0"));
        Assert.That(wrapped.Environment["PORT"], Is.EqualTo("4000"));
        Assert.That(wrapped.Arguments, Is.EqualTo(new[] { "__exec", "7", "--worker-diagnostics", "1", "--", "/usr/bin/server" }));
        Assert.That(target.Environment[ExecShim.DiagnosticsVariable], Is.EqualTo("1"), "the worker's own start info was changed");
    }

    [Test]
    public void Without_a_value_anywhere_the_shim_is_told_nothing_and_removes_its_own_before_the_exec()
    {
        Assume.That(Environment.GetEnvironmentVariable(ExecShim.DiagnosticsVariable), Is.Null, "the test runner itself sets it");
        var target = new ChildProcessStartInfo("/usr/bin/server", ["--fast"], new Dictionary<string, string>(), "/srv");

        var wrapped = ExecShim.Wrap(target, ["/usr/bin/dotnet", "/opt/supervisor.dll"], new ExecShimOptions(ParentPid: 7));

        Assert.That(wrapped.Environment[ExecShim.DiagnosticsVariable], Is.EqualTo("0"));
        Assert.That(wrapped.Arguments, Is.EqualTo(new[] { "/opt/supervisor.dll", "__exec", "7", "--", "/usr/bin/server", "--fast" }));
    }
}
