// The test classes spend most of their time waiting on other processes (a 60 s claim lease, a fixed
// observation window), not on this one's threads: more of them run at once than there are cores.
[assembly: CollectionBehavior(MaxParallelThreads = 4)]
