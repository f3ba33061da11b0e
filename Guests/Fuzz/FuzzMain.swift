import GuestSupport
import XenPublic

/// The hypercall fuzzer: makes `calls=N` random hypercalls (default
/// 100000) from `seed=S` (default 1), as dom0 or as a domU, and then powers
/// off. What it checks is what it survives: the hypervisor must answer
/// every call with a result (any result) and never panic, hang, or let the
/// fuzzer hurt anyone else; the boot test reads the closing lines.
///
/// It prints its seed first, a progress line every 10000 calls, and at the
/// end a histogram of results per hypercall (ResultHistogram) and
/// "fuzz: done: N calls". The same seed makes the same calls, so a run
/// that found something can be repeated; `trace=1` prints every call.
@_cdecl("guest_main")
func guestMain(_ startInfoAddress: UInt64) {
    guard let startInfo = StartInfo(address: startInfoAddress), startInfo.hasValidMagic else {
        print("fuzz: no valid start info: crashing")
        SchedOp.shutdown(.crash)
    }
    let commandLine = startInfo.commandLine ?? GuestString("")
    let calls = commandLine.value(ofOption: "calls")?.decimalValue ?? 100_000
    let seed = commandLine.value(ofOption: "seed")?.decimalValue ?? 1
    let trace = commandLine.value(ofOption: "trace")?.decimalValue == 1
    guard let ramTop = startInfo.memoryMap.filter({ $0.isRAM }).map({ $0.end }).max() else {
        print("fuzz: no RAM in the memory map: crashing")
        SchedOp.shutdown(.crash)
    }

    let memory = FuzzMemory(ramTop: ramTop)
    // shared_info goes to a sacrificial frame: the fuzzer will move it.
    guard mapSharedInfo(atFrame: memory.sacrificialFrame) else {
        print("fuzz: cannot map shared_info: crashing")
        SchedOp.shutdown(.crash)
    }
    let clock = FuzzClock(sharedInfo: memory.sacrificial)
    var generator = HypercallGenerator(values: ValueGenerator(random: FuzzRandom(seed: seed), memory: memory),
                                       clock: clock)
    let histogram = ResultHistogram()
    print("fuzz: seed \(seed), \(calls) calls, RAM top \(hex(ramTop, digits: 1))")
    ConsoleIO.flush()

    var done: UInt64 = 0
    while done < calls {
        let (call, result) = generator.makeCall()
        histogram.record(number: call.number, result: result)
        done += 1
        if trace {
            print("fuzz: call \(done): \(hex(call.number, digits: 1))(\(hex(call.arguments.0, digits: 1)), \(hex(call.arguments.1, digits: 1)), \(hex(call.arguments.2, digits: 1))) = \(result)")
        }
        if done % 10_000 == 0 {
            ConsoleIO.write("\n")         // ends the line random console_io writes left open
            print("fuzz: \(done) calls")
        }
    }
    ConsoleIO.write("\n")
    histogram.printTable()
    print("fuzz: done: \(done) calls, seed \(seed)")
    SchedOp.shutdown(.poweroff)
}

/// XENMEM_add_to_physmap(XENMAPSPACE_shared_info, idx 0, gpfn = frame).
private func mapSharedInfo(atFrame frame: UInt64) -> Bool {
    var request = xen_add_to_physmap()
    request.domid = DomainID(DOMID_SELF)
    request.space = UInt32(XENMAPSPACE_shared_info)
    request.idx = 0
    request.gpfn = frame
    return withUnsafeMutablePointer(to: &request) { pointer in
        Hypercall.call(UInt64(__HYPERVISOR_memory_op), UInt64(XENMEM_add_to_physmap), Hypercall.argument(pointer))
    } == 0
}
