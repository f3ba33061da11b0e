import Support

/// The hypervisor's entry from Boot.S, in 64-bit mode on the boot stack,
/// with the multiboot magic and information address the loader handed over.
/// Read it as the boot order: one step per line.
@_cdecl("kernel_main")
func kernelMain(multibootMagic: UInt32, multibootInfo: UInt64) -> Never {
    SerialPort.initialize()                       // the console first, so every later step can speak
    RuntimeAllocator.initialize()                 // the heap: Swift may allocate from here on
    GlobalDescriptorTable.install()               // our own GDT, and a TSS with a double-fault stack
    InterruptDescriptorTable.install()            // from here, a CPU exception gives a panic report

    let boot = readBootInformation(multibootMagic, multibootInfo)
    let options = applyCommandLine(boot.commandLine)   // console=, loglvl=, test_fault=, ...
    let cpu = CPUFeatures.read()
    printBanner(cpu: cpu, boot: boot)
    reportCommandLineProblems(options)
    let frames = buildFramePool(boot)             // physical memory, minus us and the modules
    LegacyInterruptController.maskAll()           // no device interrupts until a driver wants them
    let timer = LocalAPICTimer.start()            // TSC and APIC timer measured against the PIT: system time

    triggerTestFault(options.testFault)           // test_fault=: a deliberate panic, for the tests

    let backend = selectBackend(cpu)              // VMX on Intel, SVM on AMD
    enableVirtualization(backend)                 // VMXON, or EFER.SVME

    let hypervisor = Hypervisor(backend: backend, frames: frames, commandLine: boot.commandLine,
                                hostCPUID: hostCPUID)
    backend.setPermittedControlRegister4Bits(hypervisor.controlRegister4Policy.permittedBits)   // other CR4 bits exit to Core
    connectConsoleInput(hypervisor, options)      // keys typed on COM1 go to dom0 (console_io read)
    startDomain0(hypervisor, boot: boot, options: options)   // the first module is dom0's kernel
    reportBootLength()                            // TSC ticks from Boot.S to here: the bench row boot-to-dom0
    let ending = Scheduler(hypervisor: hypervisor, timer: timer).runUntilDomain0Ends()
    endMachine(after: ending, hypervisor)         // dom0's shutdown reason becomes the exit status
}

// MARK: - The steps

/// How long the boot took: TSC ticks (instructions under QEMU --icount)
/// from Boot.S's first instructions to here, right before the scheduler
/// first enters dom0. Printed in the bench row format (Docs/BENCHMARKS.md),
/// so that `xtool bench` finds it in any boot's transcript.
private func reportBootLength() {
    let ticks = read_tsc() &- boot_entry_tsc
    Log.info("bench: row boot-to-dom0 \(ticks) | hypervisor entry to dom0's first entry")
}

private func connectConsoleInput(_ hypervisor: Hypervisor, _ options: BootOptions) {
    guard options.console == .com1 else { return }
    hypervisor.consoleInput.connect { SerialPort.receive() }
}

private func readBootInformation(_ magic: UInt32, _ info: UInt64) -> BootInformation {
    guard let boot = Multiboot.read(magic: magic, infoAddress: info) else {
        print("(HV) not started by a multiboot loader (magic \(hex(UInt64(magic), digits: 8)))")
        MachineExit.exit(.failure, reason: "no multiboot information")
    }
    return boot
}

private func applyCommandLine(_ text: [UInt8]) -> BootOptions {
    let options = BootOptions(commandLine: text)
    Console.enabled = options.console != .none
    Log.threshold = options.logLevel
    return options
}

/// Unknown options are reported, not fatal, so a command line written for
/// Xen still boots.
private func reportCommandLineProblems(_ options: BootOptions) {
    for name in options.unknownOptions {
        Log.warning("command line: unknown option '\(name)' ignored")
    }
    for problem in options.problems {
        Log.warning("command line: \(problem)")
    }
}

private func printBanner(cpu: CPUFeatures, boot: BootInformation) {
    Log.info("Swift hypervisor starting (x86_64, multiboot)")
    Log.info("loader: \(boot.loaderName.isEmpty ? "unknown" : boot.loaderName)")
    Log.info("command line: \(String(decoding: boot.commandLine, as: UTF8.self))")
    Log.info("CPU: \(cpu.vendorName) \(cpu.brand)")
    Log.info("virtualization: VMX \(cpu.hasVMX ? "available" : "absent"), SVM \(cpu.hasSVM ? "available" : "absent")")
    Log.info("memory map (from the loader):")
    for region in boot.memoryMap {
        Log.info("  \(hex(region.range.start)) - \(hex(region.range.end))  \(region.kind.name)  (\(byteCount(region.range.length)))")
    }
    Log.info("boot modules: \(boot.modules.count)")
    for (index, module) in boot.modules.enumerated() {
        Log.info("  module \(index): \(hex(module.range.start)) - \(hex(module.range.end))  \(byteCount(module.range.length))  '\(module.commandLine)'")
    }
}

/// The frame allocator never hands out the hypervisor image (text, data,
/// bss with the heap arena and the boot stack) or a boot module, and only
/// frames below 4 GiB: that is what Boot.S identity-maps, so the hypervisor
/// can reach every frame it hands out.
private func buildFramePool(_ boot: BootInformation) -> FramePool {
    var reserved = [MemoryRange(start: image_start_address(), end: image_end_address())]
    for module in boot.modules { reserved.append(module.range) }
    let allocator = FrameAllocator(memoryMap: boot.memoryMap, reserved: reserved, addressLimit: 1 << 32)
    Log.info("hypervisor image: \(hex(image_start_address())) - \(hex(image_end_address()))")
    Log.info("free memory: \(allocator.freeFrames) frames (\(byteCount(UInt64(allocator.freeFrames) * 4096))) in \(allocator.usableRanges.count) ranges")
    for range in allocator.usableRanges {
        Log.debug("  usable \(hex(range.start)) - \(hex(range.end))")
    }
    return FramePool(allocator: allocator, physicalMemory: .identity)
}

private func triggerTestFault(_ fault: TestFault) {
    guard fault != .none else { return }
    Log.info("test_fault: triggering a deliberate fault now")
    switch fault {
    case .none: break
    case .divide: _ = fault_divide(0)
    case .invalidOpcode: fault_invalid_opcode()
    case .pageFault: _ = fault_read(0xFFFF_8000_0000_0000)   // not mapped: only 4 GiB are
    case .generalProtection: _ = fault_read(0x8000_0000_0000_0000)   // non-canonical
    case .breakpoint: fault_breakpoint()
    }
    MachineExit.exit(.failure, reason: "test_fault did not fault")
}

private func selectBackend(_ cpu: CPUFeatures) -> VirtualizationBackend {
    let backend: VirtualizationBackend
    if cpu.hasVMX {
        backend = VMXBackend()
    } else if cpu.hasSVM {
        backend = SVMBackend()
    } else {
        Log.error("this CPU has neither VMX nor SVM: nothing to run guests with")
        MachineExit.exit(.failure, reason: "no hardware virtualization")
    }
    for line in backend.capabilitySummary { Log.info("\(backend.name): \(line)") }
    if let reason = backend.unusableReason {
        Log.error("\(backend.name) cannot run PVH guests: \(reason)")
        MachineExit.exit(.failure, reason: "\(backend.name) unusable")
    }
    return backend
}

private func enableVirtualization(_ backend: VirtualizationBackend) {
    do {
        try backend.enable()
    } catch {
        Log.error("\(backend.name): \(error.message)")
        MachineExit.exit(.failure, reason: "could not enable \(backend.name)")
    }
    MachineExit.beforeExit = {
        backend.disable()
        Log.info("\(backend.name): off")
    }
    Log.info("\(backend.name): on")
}

private func hostCPUID(_ leaf: UInt32, _ subleaf: UInt32) -> CPUIDValues {
    let r = cpuid(leaf, subleaf)
    return CPUIDValues(eax: r.eax, ebx: r.ebx, ecx: r.ecx, edx: r.edx)
}

/// Dom0's kernel is the first boot module; the other modules are handed to
/// dom0 as its PVH modules (its domain builder reads them).
private func startDomain0(_ hypervisor: Hypervisor, boot: BootInformation, options: BootOptions) {
    guard let kernel = boot.modules.first else {
        Log.error("no dom0 kernel: the first boot module is dom0's kernel, and there is none")
        MachineExit.exit(.failure, reason: "no dom0 kernel")
    }
    let request = Domain0Builder.Request(
        id: 0, name: "dom0", isPrivileged: true,
        image: bytes(of: kernel),
        memoryBytes: options.domain0Memory ?? defaultDomain0Memory,
        commandLine: argumentsAfterFileName(kernel.commandLine),
        modules: boot.modules.dropFirst().map {
            PVHLoader.Module(bytes: bytes(of: $0), commandLine: Array($0.commandLine.utf8))
        })
    do {
        let dom0 = try Domain0Builder.build(request, on: hypervisor)
        hypervisor.add(dom0)
        dom0.state = .running
    } catch {
        Log.error("dom0: cannot build it: \(error.message)")
        MachineExit.exit(.failure, reason: "dom0 could not be built")
    }
}

private let defaultDomain0Memory: UInt64 = 64 << 20

private func bytes(of module: BootModule) -> UnsafeRawBufferPointer {
    UnsafeRawBufferPointer(start: UnsafeRawPointer(bitPattern: UInt(module.range.start)),
                           count: Int(module.range.length))
}

/// A module's string is "file-name arguments..."; the kernel gets the
/// arguments.
private func argumentsAfterFileName(_ text: String) -> [UInt8] {
    let bytes = Array(text.utf8)
    guard let space = bytes.firstIndex(of: UInt8(ascii: " ")) else { return [] }
    return Array(bytes[(space + 1)...])
}

/// Dom0 is the machine: when it powers off, the machine ends successfully;
/// any other end is a failure, named. Domains still alive are destroyed
/// first, so that every end is reported.
private func endMachine(after ending: Scheduler.Ending, _ hypervisor: Hypervisor) -> Never {
    guard let dom0 = hypervisor.domain0 else { MachineExit.exit(.failure, reason: "dom0 vanished") }
    for domain in hypervisor.domains where domain !== dom0 { hypervisor.destroy(domain) }
    switch (ending, dom0.state) {
    case (.domain0Finished, .shutdown(let reason)) where reason == ShutdownReasonCode.powerOff:
        MachineExit.exit(.success)
    case (.deadlocked, _):
        Log.error("every domain is blocked and nothing can wake them")
        MachineExit.exit(.failure, reason: "deadlock: dom0 \(dom0.state.description)")
    default:
        MachineExit.exit(.failure, reason: "dom0 \(dom0.state.description)")
    }
}
