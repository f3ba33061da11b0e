import GuestSupport

/// A test domain for dom0's toolstack, driven by its command line:
///
///   mode=count lines=N [busy=I]  prints "worker: line i of N" N times, busy
///                                between lines, then powers off;
///   mode=crash after=K [busy=I]  prints K such lines, then jumps to memory
///                                it has none behind: the hypervisor crashes it;
///   mode=spin [sti=1]            says so once, then runs forever (a service
///                                dom0 has to destroy), with interrupts off,
///                                or on with sti=1;
///   mode=domctl                  checks that domctl refuses it (EPERM).
///
/// It does not know the name dom0 gave it, so its first line is its
/// command line: that tells the domains apart in a transcript.
@_cdecl("guest_main")
func guestMain(_ startInfoAddress: UInt64) {
    guard let startInfo = StartInfo(address: startInfoAddress), startInfo.hasValidMagic else {
        print("worker: no valid start info at \(hex(startInfoAddress, digits: 1)): crashing")
        SchedOp.shutdown(.crash)
    }
    let commandLine = startInfo.commandLine ?? GuestString("")
    print("worker: command line \"\(commandLine.string)\"")

    guard let mode = commandLine.value(ofOption: "mode") else {
        print("worker: no mode= on the command line: crashing")
        SchedOp.shutdown(.crash)
    }
    let busy = commandLine.value(ofOption: "busy")?.decimalValue ?? Counting.defaultBusyIterations
    if mode.equals("count") {
        Counting.printLines(number(commandLine, "lines", default: 3), busyIterations: busy)
        SchedOp.shutdown(.poweroff)
    } else if mode.equals("crash") {
        Counting.printLines(number(commandLine, "after", default: 0), busyIterations: busy)
        DeliberateCrash.jumpToUnbackedMemory()
    } else if mode.equals("spin") {
        print("worker: spinning")
        ConsoleIO.flush()
        // sti=1: spin with interrupts enabled. Bochs' SVM never takes the
        // timer exit from a guest spinning with IF=0 (an emulator bug: real
        // CPUs and QEMU do), so the Bochs AMD boot test spins with IF=1.
        if commandLine.value(ofOption: "sti")?.decimalValue == 1 { cpu_enable_interrupts() }
        while true { busy_loop(busy) }
    } else if mode.equals("domctl") {
        DomctlProbe.run()
    } else {
        print("worker: unknown mode=\(mode.string): crashing")
        SchedOp.shutdown(.crash)
    }
}

/// The decimal value of option `name`, or `fallback` when it is absent or
/// not a number.
private func number(_ commandLine: GuestString, _ name: StaticString, default fallback: UInt64) -> UInt64 {
    commandLine.value(ofOption: name)?.decimalValue ?? fallback
}
