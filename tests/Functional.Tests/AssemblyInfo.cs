// Three test fixtures at a time: most of a functional test is waiting (for a restart, an idle minute, a drain), so
// three overlap well even on a 2-core machine; the tests inside a fixture run one after the other. Every test has its
// own folder, ports, and process marker, and proves at teardown that only its own processes are gone.
[assembly: Parallelizable(ParallelScope.Fixtures)]
[assembly: LevelOfParallelism(3)]
