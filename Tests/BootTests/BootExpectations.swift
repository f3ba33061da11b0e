/// What the boot tests expect on the serial console. Kept in one place so the
/// kernel and guest sides can adjust the strings as their messages settle.
/// The same lines are expected on every machine; only the banner differs.
/// A string that starts with "(HV) " or "(d0) " is the start of a line.
enum BootExpectations {
    /// Every hypervisor line starts with this.
    static let hypervisorPrefix = "(HV)"
    static let svmBanner = "SVM:"
    static let vmxBanner = "VMX:"

    // MARK: dom0

    static let dom0Hello = "(d0) dom0: hello"
    static let dom0PoweredOff = "(HV) domain-end d0 dom0: poweroff"
    /// The counters printed after a domain's end (Hypervisor+Lifecycle).
    /// The kinds come most frequent first, so the line is matched up to
    /// "exits: " only: on Bochs VMX, dom0 clearing its 16 MiB .bss (its heap,
    /// Guests/Dom0/Dom0Heap.c) takes more timer exits than it makes hypercalls.
    static let dom0Counters = "(HV) d0 (dom0): exits: "
    static let successStatus = "(HV) exit: success"

    // MARK: a deliberate hypervisor fault

    /// The command line that makes the hypervisor fault on purpose.
    static let faultCmdline = "console=com1 test_fault=invalid_opcode"
    /// The panic report's lines, in order (ExceptionHandler).
    static let panicLines = ["(HV) panic: CPU exception 6 (invalid opcode) in the hypervisor",
                             "(HV)   error code 0x0000   RIP ", "(HV)   RAX ", "(HV) exit: panic"]

    // MARK: the hostile guest as dom0

    static let hostile = "build/guests/hostile.elf"
    /// Its tally line: "(d0) hostile: N passed, M failed".
    static let hostileTallyPrefix = "(d0) hostile: "
    /// Every check, counted: start info, 15 error paths, 6 loads and
    /// stores of memory with nothing behind it (UnbackedMemoryChecks), 6
    /// MOVs to CR4 (ControlRegisterChecks), 8 local APIC checks
    /// (LocalAPICChecks), 7 register, ring-3 and TSC_AUX checks
    /// (StateChecks), 6 memory_op checks (MemoryChecks), 13 grant-table
    /// checks (GrantChecks: 5 map and unmap, 5 copy, 3 table).
    static let hostileTally = "(d0) hostile: 62 passed, 0 failed"
    /// As a domU with hold=4: the same, two checks per hold round, and the
    /// 10 ServiceChecks on the store, the console and the disk controller
    /// dom0 has.
    static let holderConfigs = ["holder-a.cfg", "holder-b.cfg"]
    static let holderTallies = ["(d1) hostile: 80 passed, 0 failed", "(d2) hostile: 80 passed, 0 failed"]
    /// What dom0 says of each holder's broken console and store rings.
    static let holderBrokenRings = [
        ["(d0) dom0: console of d1 holder-a: its ring indices are 65536 bytes apart", "(d0) dom0: store: d1 broke the store protocol: released"],
        ["(d0) dom0: console of d2 holder-b: its ring indices are 65536 bytes apart", "(d0) dom0: store: d2 broke the store protocol: released"],
    ]
    static let holderEnds = ["(HV) domain-end d1 holder-a: poweroff", "(HV) domain-end d2 holder-b: poweroff"]
    static let firstHoldRound = "(d1) hostile: hold round"
    static let secondHoldRound = "(d2) hostile: hold round"
    /// crash=forge: the guest prints the hypervisor's closing lines itself.
    static let forgedStatus = "(d0) (HV) exit: success"
    static let realStatusAfterForgery = "(HV) exit: failure (dom0 shut down (crash))"
    /// The first line of the hypervisor's report on a crashed hostile dom0,
    /// and the line with the guest's state that follows it.
    static let hostileCrashed = "(HV) d0 (dom0) crashed: "
    static let crashGuestState = "(HV)   guest RIP "
    /// crash=ept: a jump to unbacked guest-physical memory (loads and
    /// stores there are emulated; an instruction fetch cannot be).
    static let eptCrashWords = ["guest-physical 0x0000000030000000 (execute)", "instruction fetch (not emulated)"]
    /// crash=triple: an IDT with limit 0, then int3.
    static let tripleFaultWords = ["triple fault"]

    // MARK: event channels (Guests/Events)

    static let events = "build/guests/events.elf"
    /// mode=self as dom0: every check of SelfChecks, counted (the first
    /// port, 2 with interrupts on, 6 with them off, 6 masking, 6 loopback,
    /// 5 VIRQ_TIMER, 2 SCHEDOP_poll, 4 status and close, 11 error codes).
    static let eventsTally = "(d0) events: 43 passed, 0 failed"
    /// Two domUs, 100 round trips over one interdomain channel.
    static let pingPongConfigs = ["ping.cfg", "pong.cfg"]
    static let pingDone = "(d1) events: ping: 100 rounds"
    static let pongDone = "(d2) events: pong: 100 rounds"
    static let pingPongEnds = ["(HV) domain-end d1 ping: poweroff", "(HV) domain-end d2 pong: poweroff"]
    /// The bench pair (Guests/Events/PingPongBench.swift): ping prints the
    /// interdomain rows, pong yields back to it.
    static let benchPingPongConfigs = ["bench-ping.cfg", "bench-pong.cfg"]
    static let benchPingPongBatches = 7
    static let benchPingPongKeys = ["evtchn-ping-pong", "domain-switch"]
    static let benchPingPongLines = ["(d1) bench: config iterations=1000 batches=7 unit=tsc",
                                     "(d1) bench: row evtchn-ping-pong ", "(d1) bench: row domain-switch ",
                                     "(d1) bench: end"]
    static let benchPingPongEnds = ["(HV) domain-end d1 bench-ping: poweroff", "(HV) domain-end d2 bench-pong: poweroff"]
    /// A sanity bound, not a timing assertion: under --icount a round trip
    /// took about 20500 instructions and a switch there and back about
    /// 6000; thousands, not millions.
    static let roundTripTicksBound = 1_000..<200_000

    // MARK: grant tables (Guests/Grants)

    /// Two domUs share a page by grant: d1 offers, d2 maps, answers, copies.
    static let grantConfigs = ["grant-offer.cfg", "grant-map.cfg"]
    /// d1: its reference and port, the answer, the entry free again, end access.
    static let grantOfferTally = "(d1) grants: 5 passed, 0 failed"
    /// d2: map, message, copy, copied message, unmap, unmap again.
    static let grantMapTally = "(d2) grants: 6 passed, 0 failed"
    static let grantMapRead = "(d2) grants: map: d1 wrote \"a page shared by grant\""
    static let grantOfferAnswer = "(d1) grants: offer: d2 answered \"mapped, read and answered\""
    static let grantEnds = ["(HV) domain-end d1 grant-offer: poweroff", "(HV) domain-end d2 grant-map: poweroff"]

    // MARK: the hypercall fuzzer (Guests/Fuzz)

    static let fuzzer = "build/guests/fuzz.elf"
    /// Calls per boot test: the floor for every machine. Longer
    /// campaigns: `xtool boot --dom0 "build/guests/fuzz.elf calls=1000000 seed=N"`.
    static let fuzzCalls = 100_000
    static func fuzzDone(domain: Int) -> String { "(d\(domain)) fuzz: done: \(fuzzCalls) calls" }
    /// The fuzzer as a domU beside alpha, which must still count to its end.
    static let fuzzerDomainConfigs = ["fuzzer.cfg", "alpha.cfg"]
    static let fuzzerDomainEnds = ["(HV) domain-end d1 fuzzer: poweroff", "(HV) domain-end d2 alpha: poweroff"]
    /// Seconds: 100000 calls took 6 s on QEMU and 20 s on Bochs VMX here.
    static func fuzzTimeout(on setup: MachineSetup) -> Double { setup.machine == .bochs ? 600 : 120 }
    /// Lines no boot may show but the deliberate fault's: the hypervisor's
    /// own fault report.
    static let hypervisorPanic = "(HV) panic"

    // MARK: a dom0 image that is no ELF

    static let malformedDom0Line = "(HV) dom0: cannot build it:"

    // MARK: the bench guest as dom0, under --icount

    static let bench = "build/guests/bench.elf"
    /// Few iterations: the test checks the rows, not the numbers.
    static let benchBatches = 3
    static let benchDom0 = "\(bench) iterations=20 batches=\(benchBatches)"
    static let benchConfig = "(d0) bench: config iterations=20 batches=\(benchBatches) unit=tsc"
    static let benchEnd = "(d0) bench: end"
    /// The hypervisor's calibration line: "(HV) time: TSC 1000155 kHz, APIC
    /// timer 62509 kHz (measured against the PIT, to 487 ppm); scale ...".
    static let clockLinePrefix = "(HV) time: TSC "
    static let clockPrecisionPPM: UInt64 = 488
    /// QEMU -icount shift=0: one instruction, one TSC tick, one nanosecond.
    static let icountTSCKilohertz: UInt64 = 1_000_000
    /// Every row the bench guest measures alone, in the order it prints them.
    static let benchKeys = ["cpuid", "null-hypercall", "xen-version", "io-port", "yield",
                            "evtchn-send-self", "evtchn-upcall-self", "grant-copy-4k",
                            "syscall", "int80", "user-page-fault"]
    /// A sanity bound on ticks/op, not a timing assertion: under --icount
    /// ticks are instructions; the dearest row (a 4 KiB grant copy) took
    /// about 7500, and ring-3 round trips count a few instructions each.
    static let benchTicksBound = 1..<1_000_000

    // MARK: dom0's services: the store and the PV console (Guests/Frontend)

    /// frontend (a service) and alpha, which ends by itself first.
    static let frontendConfigs = ["frontend.cfg", "alpha.cfg"]
    /// Every check of FrontendChecks, counted: 2 identity, 4 own nodes,
    /// 2 permissions, 2 watch.
    static let frontendTally = "(d1) frontend: 10 passed, 0 failed"
    /// Its PV console line, printed by dom0's console backend.
    static let frontendConsoleLine = "(d0) [d1 frontend] frontend: hello through the PV console"
    static let frontendShutdownRequest = "(d0) dom0: d1 (frontend) asked to power off (control/shutdown)"
    static let frontendAnswersShutdown = "(d1) frontend: the toolstack asks for poweroff: powering off"
    static let frontendEnd = "(HV) domain-end d1 frontend: poweroff"
    static let alphaEnd = "(HV) domain-end d2 alpha: poweroff"

    // MARK: dom0 building domains (Tests/BootTests/Configs)

    /// alpha and beta count, gamma crashes, spinner spins until the others end.
    /// The domain scenario's configs; the spinner comes from the MachineSetup.
    static let domainConfigs = ["alpha.cfg", "beta.cfg", "gamma.cfg"]
    /// Console prefixes of the two counting domains, whose lines must interleave.
    static let firstCounter = "(d1) "
    static let secondCounter = "(d2) "
    /// gamma's end: a shutdown with reason crash, or a crash by the hypervisor.
    static let gammaCrashed = "(HV) domain-end d3 gamma: crash"
    /// Every domain's end is reported.
    static let domainEnds = [
        "(HV) domain-end d0 dom0: ",
        "(HV) domain-end d1 alpha: ",
        "(HV) domain-end d2 beta: ",
        "(HV) domain-end d3 gamma: ",
        "(HV) domain-end d4 spinner: ",
    ]
    /// Dom0 checks that destroying the domains gave all their memory back.
    static let memoryReturned = "(d0) dom0: memory: all"

    /// alpha runs, broken's kernel (module 2) is a text file: dom0 says why
    /// it cannot build it, the hypervisor still reports success, and xtool
    /// makes the boot a failure.
    static let unbuildableConfigs = ["alpha.cfg", "broken.cfg"]
    static let unbuildableLines = [
        "(d0) dom0: broken: cannot build: module 2: not an ELF file",
        "(HV) domain-end d1 alpha: poweroff",
        "(HV) exit: success",
    ]
    static let unbuildableName = "broken"

    /// An unprivileged domain calling domctl gets -1 (EPERM).
    static let domctlConfig = "domctl.cfg"
    static let domctlLinePrefix = "(d1) worker"
    static let domctlLineWords = ["-1", "ok"]

    /// Debian's Linux kernel (xtool fetch linux) as a third-party dom0, with
    /// xtool's initramfs (busybox) as its first module. No `lpj=` and no
    /// `noapictimer`: it calibrates and ticks with the Xen timer (VIRQ_TIMER
    /// through the upcall). The command after ` -- ` is /init's: uname,
    /// syscall-bench's rows, the interrupt counts twice, a second apart,
    /// then /init powers off, and
    /// Linux's final `cli; hlt` is the poweroff (all vCPUs down).
    static let linuxArguments = "earlyprintk=xen console=hvc0 -- uname -a; \(linuxBenchCommand); cat /proc/interrupts; sleep 1; cat /proc/interrupts"
    /// Linux dom0's bench rows (Toolstack/LinuxPrograms/syscall-bench.c), a
    /// few iterations: the rows are checked, not their numbers.
    static let linuxBenchCommand = "insmod /lib/modules/xen-privcmd.ko; syscall-bench iterations=20 batches=\(linuxBenchBatches)"
    static let linuxBenchBatches = 3
    static let linuxBenchKeys = ["linux-getpid", "linux-privcmd-xen-version"]
    static let linuxCmdline = "console=com1 dom0_mem=256M"
    static let linuxMemoryMB = 512
    /// What it must print, in this order: its PVH banner, the version it got
    /// from XENVER_version and XENVER_extraversion ("-swift" only comes from
    /// the hypercall), the Xen timer, then user space.
    static let linuxLines = [
        "] Booting kernel on Xen PVH",
        "] Xen version: 4.19.0-swift",
        "] installing Xen timer for CPU 0",
        "] Run /init as init process",
    ]
    /// Linux's lines through console_io start so, then its timestamp.
    static let linuxLinePrefix = "(d0) ["
    /// /init's lines (InitScript), the command's output between them.
    static let initramfsUp = "(d0) initramfs: up"
    static let linuxUname = "(d0) Linux (none) 6.1."
    static let initramfsDone = "(d0) initramfs: exit status 0"
    /// The Xen timer's row of /proc/interrupts: "  0:   1265  xen-percpu  -virq  timer0".
    static let timerInterruptsRow = "(d0)   0: "
    static let timerInterruptsName = "timer0"
    static let linuxPoweredOff = "(HV) d0 (dom0): every vCPU halted with interrupts off: powered off, as in Xen"
    /// Seconds: 12 to 17 on QEMU here. On Bochs, in `.ci/run` on a clean
    /// clone: 738 (VMX) and 700 (Ryzen); once 440 (VMX, alone); over 600
    /// with other emulators beside it. Bochs runs Linux's few billion
    /// instructions of boot slowly; the room is for a loaded machine.
    static func linuxTimeout(on setup: MachineSetup) -> Double { setup.machine == .bochs ? 1500 : 150 }

    // MARK: Debian's Linux as a domU (Configs/linux.cfg)

    /// Dom0 holds the unpacked kernel (66 MB) and the initramfs as its
    /// modules, and the domU gets 256 MiB.
    static let linuxDomUConfig = "linux.cfg"
    static let linuxDomUCmdline = "console=com1 dom0_mem=160M"
    static let linuxDomUMemoryMB = 1024
    /// Its hvc0 is the PV console: dom0's console backend prints each of
    /// its lines behind this.
    static let linuxDomULinePrefix = "(d0) [d1 linux] "
    /// In this order: the banner; the ramdisk dom0 loaded (PVH module 0);
    /// the MADT among the ACPI tables dom0 built; events through the
    /// callback vector; the Xen timer; the initramfs unpacked; /init, the
    /// command of its command line (`-- uname -a`), its status.
    static let linuxDomULines = [
        "[    0.000000] Linux version 6.1",
        "] RAMDISK: [mem 0x",
        "] ACPI: APIC 0x",
        "] Booting kernel on Xen PVH",
        "] xen:events: Xen HVM callback vector for event delivery is enabled",
        "] installing Xen timer for CPU 0",
        "] Trying to unpack rootfs image as initramfs...",
        "] Run /init as init process",
        "initramfs: up",
        "initramfs: running: uname -a",
        "Linux (none) 6.1",
        "initramfs: exit status 0",
    ]
    static let linuxDomUPoweredOff = "(HV) d1 (linux): every vCPU halted with interrupts off: powered off, as in Xen"
    static let linuxDomUEnd = "(HV) domain-end d1 linux: poweroff"

    // MARK: disks: dom0's blkback (BootScenarios+Disks)

    /// The first bytes of the blockfront scenario's disk (BlockFrontChecks).
    static let blockFrontSignature = "blockfront test disk"
    /// Frontend's 10 store checks, and 19 of blkfront: the handshake (3),
    /// good requests (5), bad ones (10) and the broken ring (1).
    static let blockFrontTally = "(d1) frontend: 29 passed, 0 failed"
    static let blockFrontDiskFound = "(d0) dom0: disk "
    static let blockFrontBrokenRing = "(d0) dom0: blkback: d1 xvda: broken ring"
    static let blockFrontEnd = "(HV) domain-end d1 blockfront: poweroff"
    /// What Linux runs on its disk root, and the file it leaves there.
    static let linuxDiskCommand = "echo written-by-domU > /hello.txt && sync && cat /hello.txt"
    static let linuxDiskFileText = "written-by-domU"
    /// In order, behind linuxDomULinePrefix: blkfront found the disk, the
    /// initramfs switched root, the disk's init ran the command.
    static let linuxDiskLines = [
        "initramfs: up",
        "rootfs: up",
        "written-by-domU",
        "rootfs: exit status 0",
    ]
}
