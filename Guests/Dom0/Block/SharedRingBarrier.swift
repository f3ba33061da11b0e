/// A full memory barrier (and a compiler barrier) between accesses to a
/// ring page the frontend writes from another vCPU: between reading an
/// index and the entries it covers, and between writing entries and the
/// index that publishes them. Dom0 implements it with `mfence` in C (no
/// atomics module in Embedded Swift); host tests, on one thread, count it.
protocol SharedRingBarrier: AnyObject {
    func sharedMemoryBarrier()
}
