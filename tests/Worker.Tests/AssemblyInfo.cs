// Every test owns its processes, ports, marker and temporary folder (a fresh fixture instance per test case), so tests
// can run side by side; most of their time is spent waiting for a worker process to start.
[assembly: FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
[assembly: Parallelizable(ParallelScope.All)]
[assembly: LevelOfParallelism(3)]
