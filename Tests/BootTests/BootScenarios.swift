import Foundation
import XCTest
import XToolKit

/// The boot scenarios, each a function of the machine it runs on. The test
/// classes (one per machine) call them, so every machine is held to the same
/// transcript lines (BootExpectations).
extension BootTestCase {
    /// dom0 greets, powers off, and the hypervisor reports its end.
    func checkDom0PowersOff(on setup: MachineSetup) {
        guard let result = boot(setup) else { return }
        assertStatus(result, .success)
        assertBanner(result, mentions: setup.backendWord)
        assertLinesInOrder(result, [BootExpectations.dom0Hello, BootExpectations.dom0Counters,
                                    BootExpectations.dom0PoweredOff, BootExpectations.successStatus])
    }

    /// A deliberate invalid opcode in the hypervisor: a panic report.
    func checkHypervisorFaultPanics(on setup: MachineSetup) {
        guard let result = boot(setup, Boot(cmdline: BootExpectations.faultCmdline, panicExpected: true)) else { return }
        assertStatus(result, .panic)
        assertLinesInOrder(result, BootExpectations.panicLines)
    }

    /// The hostile guest as dom0: every error path answers as documented.
    func checkHostileChecksPass(on setup: MachineSetup) {
        guard let result = boot(setup, Boot(dom0: "\(BootExpectations.hostile) crash=none")) else { return }
        assertStatus(result, .success)
        assertExactLine(result, BootExpectations.hostileTally)
        assertLinesInOrder(result, [BootExpectations.hostileTally, BootExpectations.dom0PoweredOff])
    }

    /// Two hostile domUs keep their own patterns in XMM0-15 and CR2 while
    /// the other runs: each round spans three time slices, and their rounds
    /// interleave, so the registers survived switches between domains.
    func checkRegistersSurviveDomainSwitches(on setup: MachineSetup) {
        guard let result = boot(setup, Boot(domains: BootExpectations.holderConfigs)) else { return }
        assertStatus(result, .success)
        for tally in BootExpectations.holderTallies { assertExactLine(result, tally) }
        // Each broke its own rings; dom0 said so, and served the other on.
        // The two rings are two ports: dom0 may find either broken first
        // (on Bochs SVM, since the holders' disk-controller check, it finds
        // the store first), so each line is checked, not their order.
        for lines in BootExpectations.holderBrokenRings {
            for line in lines { assertLinesInOrder(result, [line, BootExpectations.memoryReturned]) }
        }
        assertLinesStart(result, with: BootExpectations.holderEnds)
        assertLinesInOrder(result, [BootExpectations.holderEnds[0], BootExpectations.memoryReturned])
        assertInterleaved(result, BootExpectations.firstHoldRound, BootExpectations.secondHoldRound)
    }

    /// A guest that prints "(HV) exit: success" does not end the boot: only
    /// the hypervisor's own lines count, so this one ends as the failure
    /// the guest's deliberate crash is.
    func checkForgedStatusLinesDoNotCount(on setup: MachineSetup) {
        guard let result = boot(setup, Boot(dom0: "\(BootExpectations.hostile) crash=forge")) else { return }
        assertStatus(result, .failure)
        assertLinesInOrder(result, [BootExpectations.forgedStatus, BootExpectations.realStatusAfterForgery])
        assertNoLine(result, startingWith: BootExpectations.successStatus)
    }

    /// A jump to unbacked guest-physical memory crashes the domain, not the machine.
    func checkHostileNestedPageFaultCrashesIt(on setup: MachineSetup) {
        guard let result = boot(setup, Boot(dom0: "\(BootExpectations.hostile) crash=ept")) else { return }
        assertStatus(result, .failure)
        assertLine(result, startingWith: BootExpectations.hostileCrashed, containing: BootExpectations.eptCrashWords)
        assertLinesInOrder(result, [BootExpectations.hostileCrashed, BootExpectations.crashGuestState])
    }

    /// A guest triple fault crashes the domain, not the machine.
    func checkHostileTripleFaultCrashesIt(on setup: MachineSetup) {
        guard let result = boot(setup, Boot(dom0: "\(BootExpectations.hostile) crash=triple")) else { return }
        assertStatus(result, .failure)
        assertLine(result, startingWith: BootExpectations.hostileCrashed, containing: BootExpectations.tripleFaultWords)
    }

    /// Event channels within one domain, with upcalls (Guests/Events
    /// mode=self as dom0): every check passes, and it powers off.
    func checkEventChannelsWorkInAGuest(on setup: MachineSetup) {
        guard let result = boot(setup, Boot(dom0: "\(BootExpectations.events) mode=self")) else { return }
        assertStatus(result, .success)
        assertExactLine(result, BootExpectations.eventsTally)
        assertLinesInOrder(result, [BootExpectations.eventsTally, BootExpectations.dom0PoweredOff])
    }

    /// Two domUs send each other events, 100 round trips; both reach their
    /// last round and power off, and dom0 gets all their memory back.
    func checkDomUsPingPong(on setup: MachineSetup) {
        guard let result = boot(setup, Boot(domains: BootExpectations.pingPongConfigs)) else { return }
        assertStatus(result, .success)
        assertExactLine(result, BootExpectations.pingDone)
        assertExactLine(result, BootExpectations.pongDone)
        assertLinesInOrder(result, [BootExpectations.pingDone, BootExpectations.pingPongEnds[0]])
        assertLinesInOrder(result, [BootExpectations.pongDone, BootExpectations.pingPongEnds[1]])
        for end in BootExpectations.pingPongEnds {
            assertLinesInOrder(result, [end, BootExpectations.memoryReturned])
        }
    }

    /// Two domUs share a page by grant (Guests/Grants): one writes and
    /// grants it, the other maps it, reads, answers, copies and unmaps; the
    /// first finds the answer. Both power off and dom0 gets every page back.
    func checkDomUsShareAPageByGrant(on setup: MachineSetup) {
        guard let result = boot(setup, Boot(domains: BootExpectations.grantConfigs)) else { return }
        assertStatus(result, .success)
        assertExactLine(result, BootExpectations.grantMapTally)
        assertExactLine(result, BootExpectations.grantOfferTally)
        assertLinesInOrder(result, [BootExpectations.grantMapRead, BootExpectations.grantOfferAnswer])
        assertLinesInOrder(result, [BootExpectations.grantOfferTally, BootExpectations.grantEnds[0]])
        assertLinesInOrder(result, [BootExpectations.grantMapTally, BootExpectations.grantEnds[1]])
        for end in BootExpectations.grantEnds {
            assertLinesInOrder(result, [end, BootExpectations.memoryReturned])
        }
    }

    /// The fuzzer as dom0: 100000 random hypercalls, and the hypervisor
    /// neither panics nor hangs; the fuzzer reaches its end and powers off.
    func checkFuzzerAsDom0Survives(on setup: MachineSetup, seed: Int) {
        let dom0 = "\(BootExpectations.fuzzer) calls=\(BootExpectations.fuzzCalls) seed=\(seed)"
        guard let result = boot(setup, Boot(dom0: dom0, timeout: BootExpectations.fuzzTimeout(on: setup))) else { return }
        assertStatus(result, .success)
        assertLinesInOrder(result, [BootExpectations.fuzzDone(domain: 0), BootExpectations.dom0PoweredOff])
    }

    /// The fuzzer as a domU: it reaches its end, and alpha and dom0 go on.
    func checkFuzzerAsDomUSurvives(on setup: MachineSetup) {
        guard let result = boot(setup, Boot(domains: BootExpectations.fuzzerDomainConfigs,
                                            timeout: BootExpectations.fuzzTimeout(on: setup))) else { return }
        assertStatus(result, .success)
        assertLine(result, startingWith: BootExpectations.fuzzDone(domain: 1), containing: [])
        assertLinesStart(result, with: BootExpectations.fuzzerDomainEnds)
        for end in BootExpectations.fuzzerDomainEnds {
            assertLinesInOrder(result, [end, BootExpectations.memoryReturned])
        }
    }

    /// A dom0 image that is no ELF is refused with a reason.
    func checkMalformedDom0IsRefused(on setup: MachineSetup) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("boot-tests-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let garbage = folder.appendingPathComponent("garbage.elf")
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }).write(to: garbage)
        } catch {
            XCTFail("cannot write \(garbage.path): \(error)")
            return
        }
        guard let result = boot(setup, Boot(dom0: garbage.path)) else { return }
        assertStatus(result, .failure)
        assertLinesStart(result, with: [BootExpectations.malformedDom0Line])
    }

    /// The bench guest under --icount, a few iterations: the config and end
    /// lines are there, and every single-guest row, each with one value
    /// per batch, every value positive and sane (not a timing assertion).
    func checkBenchCountsInstructions(on setup: MachineSetup) {
        guard let result = boot(setup, Boot(dom0: BootExpectations.benchDom0, icount: true)) else { return }
        assertStatus(result, .success)
        assertLinesInOrder(result, [BootExpectations.benchConfig, BootExpectations.benchEnd])
        assertClockIsOneGigahertz(result)
        let rows = BenchTable.rows(in: result.transcript)
        XCTAssertEqual(BenchTable.skippedKeys(in: result.transcript), [], "rows skipped; transcript:\n\(result.transcript)")
        XCTAssertEqual(rows.map(\.key), BootExpectations.benchKeys, "transcript:\n\(result.transcript)")
        for row in rows {
            guard let values = row.values else {
                XCTFail("\(row.key): values that are not non-negative integers")
                continue
            }
            XCTAssertEqual(values.count, BootExpectations.benchBatches, "\(row.key): one value per batch")
            for value in values {
                XCTAssertTrue(BootExpectations.benchTicksBound.contains(value),
                              "\(row.key): \(value) ticks/op is outside \(BootExpectations.benchTicksBound)")
            }
            XCTAssertFalse(row.label.isEmpty, "\(row.key): no label")
        }
    }

    /// Under --icount the TSC counts instructions, one per nanosecond of
    /// the PIT's time: the calibration must find 1 GHz, to within the
    /// precision it prints, and that precision must be the 488 ppm it aims
    /// for. Not a timing assertion: the rate is exact by construction.
    private func assertClockIsOneGigahertz(_ result: BootResult) {
        guard let line = lines(of: result).first(where: { $0.hasPrefix(BootExpectations.clockLinePrefix) }) else {
            return XCTFail("no '\(BootExpectations.clockLinePrefix)' line; transcript:\n\(result.transcript)")
        }
        let words = line.split(separator: " ")
        guard let kilohertz = words.firstIndex(of: "kHz,").flatMap({ UInt64(words[$0 - 1]) }),
              let ppm = words.firstIndex(where: { $0.hasPrefix("ppm)") }).flatMap({ UInt64(words[$0 - 1]) }) else {
            return XCTFail("cannot read the rate and precision of: \(line)")
        }
        XCTAssertLessThanOrEqual(ppm, BootExpectations.clockPrecisionPPM, line)
        let truth = BootExpectations.icountTSCKilohertz
        let off = kilohertz > truth ? kilohertz - truth : truth - kilohertz
        // One kHz more for the rounding down to kHz.
        XCTAssertLessThanOrEqual(off * 1_000_000, (ppm * truth) + 1_000_000, line)
    }

    /// A Swift domU uses what dom0 serves it: its store checks pass, its PV
    /// console line comes out of dom0's backend, and, a service, it powers
    /// off when the toolstack asks through control/shutdown after alpha has
    /// ended; dom0 gets all their memory back.
    func checkDomUUsesTheStoreAndThePVConsole(on setup: MachineSetup) {
        guard let result = boot(setup, Boot(domains: BootExpectations.frontendConfigs)) else { return }
        assertStatus(result, .success)
        assertExactLine(result, BootExpectations.frontendTally)
        assertExactLine(result, BootExpectations.frontendConsoleLine)
        assertLinesInOrder(result, [BootExpectations.alphaEnd, BootExpectations.frontendShutdownRequest,
                                    BootExpectations.frontendAnswersShutdown, BootExpectations.frontendEnd,
                                    BootExpectations.memoryReturned])
    }

    /// The interdomain bench rows under --icount (bench-ping.cfg and
    /// bench-pong.cfg): ping prints its config, evtchn-ping-pong and
    /// domain-switch, one positive, sane value per batch each, and its end
    /// line; both domains power off.
    func checkPingPongRoundTripIsCounted(on setup: MachineSetup) {
        guard let result = boot(setup, Boot(domains: BootExpectations.benchPingPongConfigs, icount: true)) else { return }
        assertStatus(result, .success)
        assertLinesInOrder(result, BootExpectations.benchPingPongLines)
        assertLinesStart(result, with: BootExpectations.benchPingPongEnds)
        let rows = BenchTable.rows(in: result.transcript, domain: 1)
        XCTAssertEqual(rows.map(\.key), BootExpectations.benchPingPongKeys, "transcript:\n\(result.transcript)")
        for row in rows {
            XCTAssertEqual(row.values?.count, BootExpectations.benchPingPongBatches, "\(row.key): one value per batch")
            for value in row.values ?? [] {
                XCTAssertTrue(BootExpectations.roundTripTicksBound.contains(value),
                              "\(row.key): \(value) instructions is outside \(BootExpectations.roundTripTicksBound)")
            }
        }
    }

    /// Dom0 builds four domains: two count at once, one crashes, one spins
    /// until dom0 destroys it; dom0 gets all their memory back.
    func checkDom0BuildsDomains(on setup: MachineSetup) {
        guard let result = boot(setup, Boot(domains: BootExpectations.domainConfigs + [setup.spinnerConfig])) else { return }
        assertStatus(result, .success)
        assertInterleaved(result, BootExpectations.firstCounter, BootExpectations.secondCounter)
        assertLinesStart(result, with: [BootExpectations.gammaCrashed] + BootExpectations.domainEnds)
        // Dom0 counts its memory after every domain is gone.
        for end in BootExpectations.domainEnds.dropFirst() {
            assertLinesInOrder(result, [end, BootExpectations.memoryReturned])
        }
    }

    /// A configured domain that dom0 cannot build fails the boot, though
    /// the hypervisor reports success, and gets a row with dom0's reason.
    func checkUnbuildableDomainFailsTheBoot(on setup: MachineSetup) {
        guard let result = boot(setup, Boot(domains: BootExpectations.unbuildableConfigs)) else { return }
        assertStatus(result, .failure)
        assertLinesStart(result, with: BootExpectations.unbuildableLines)
        XCTAssertEqual(result.unbuiltDomains.map(\.name), [BootExpectations.unbuildableName], "transcript:\n\(result.transcript)")
    }

    /// Debian's Linux kernel, built elsewhere for Xen, boots as dom0 (from
    /// its bzImage, as Xen's toolstack would) with xtool's initramfs, to
    /// user space: its Xen timer ticks (the count grows across `sleep 1`),
    /// the command given on its command line runs (with syscall-bench's
    /// rows, one positive value per batch each), and its poweroff ends
    /// the machine with success.
    func checkDebianLinuxBootsToUserSpace(on setup: MachineSetup) {
        guard let root = Self.root else { return XCTFail("no project root") }
        let kernel: URL
        let initramfs: URL
        do {
            kernel = try DebianKernel.fetch(root: root, reporter: .standardOutput)
            initramfs = try Initramfs.build(root: root, reporter: .standardOutput)
        } catch {
            return XCTFail("cannot fetch Debian's kernel or build the initramfs: \(error)")
        }
        let dom0 = "\(kernel.path) \(BootExpectations.linuxArguments)"
        guard let result = boot(setup, Boot(cmdline: BootExpectations.linuxCmdline, dom0: dom0,
                                            timeout: BootExpectations.linuxTimeout(on: setup),
                                            modules: [initramfs.path],
                                            memoryMB: BootExpectations.linuxMemoryMB)) else { return }
        assertStatus(result, .success)
        assertLinesInOrder(result, BootExpectations.linuxLines.map { LinePattern(prefix: BootExpectations.linuxLinePrefix, words: $0) }
                                   + [LinePattern(prefix: BootExpectations.initramfsUp),
                                      LinePattern(prefix: BootExpectations.linuxUname),
                                      LinePattern(prefix: BootExpectations.initramfsDone),
                                      LinePattern(prefix: BootExpectations.linuxPoweredOff),
                                      LinePattern(prefix: BootExpectations.successStatus)])
        let benchRows = BenchTable.rows(in: result.transcript)
        XCTAssertEqual(benchRows.map(\.key), BootExpectations.linuxBenchKeys, "syscall-bench's rows; transcript:\n\(result.transcript)")
        for row in benchRows {
            XCTAssertEqual(row.values?.count, BootExpectations.linuxBenchBatches, "\(row.key): one value per batch")
            XCTAssertTrue(row.values?.allSatisfy { $0 > 0 } == true, "\(row.key): \(row.values ?? []): each positive")
        }
        let counts = lines(of: result)
            .filter { $0.hasPrefix(BootExpectations.timerInterruptsRow) && $0.hasSuffix(BootExpectations.timerInterruptsName) }
            .compactMap { UInt64($0.dropFirst(BootExpectations.timerInterruptsRow.count).split(separator: " ").first ?? "") }
        XCTAssertEqual(counts.count, 2, "two timer rows of /proc/interrupts; transcript:\n\(result.transcript)")
        if counts.count == 2 {
            XCTAssertGreaterThan(counts[0], 0, "the Xen timer interrupted before the first look")
            XCTAssertGreaterThan(counts[1], counts[0], "the Xen timer went on ticking during sleep 1")
        }
    }

    /// Debian's unmodified Linux as a PVH domU that the Swift dom0 builds
    /// (Configs/linux.cfg: the bzImage unpacked by xtool, the initramfs as
    /// its ramdisk, dom0's memory map and ACPI tables). Without the store
    /// and PV console backends it still boots to /init, which has no
    /// console (its output is lost: see linuxDomULines) and powers off; so
    /// the domain ends by itself, and the scenario needs no stop_after.
    func checkDebianLinuxBootsAsDomU(on setup: MachineSetup) {
        guard let root = Self.root else { return XCTFail("no project root") }
        do {
            // Also names the kernel build/third-party/vmlinuz, as linux.cfg does.
            _ = try DebianKernel.fetch(root: root, reporter: .standardOutput)
            _ = try Initramfs.build(root: root, reporter: .standardOutput)
        } catch {
            return XCTFail("cannot fetch Debian's kernel or build the initramfs: \(error)")
        }
        guard let result = boot(setup, Boot(cmdline: BootExpectations.linuxDomUCmdline,
                                            domains: [BootExpectations.linuxDomUConfig],
                                            timeout: BootExpectations.linuxTimeout(on: setup),
                                            memoryMB: BootExpectations.linuxDomUMemoryMB)) else { return }
        assertStatus(result, .success)
        // Its lines come through dom0's console backend, which may print the
        // last ones after the hypervisor has seen the domain power off.
        assertLinesInOrder(result, BootExpectations.linuxDomULines.map { LinePattern(prefix: BootExpectations.linuxDomULinePrefix, words: $0) })
        assertLinesInOrder(result, [LinePattern(prefix: BootExpectations.linuxDomUPoweredOff),
                                    LinePattern(prefix: BootExpectations.linuxDomUEnd),
                                    LinePattern(prefix: BootExpectations.memoryReturned),
                                    LinePattern(prefix: BootExpectations.successStatus)])
        XCTAssertEqual(result.domainEnds.map { "d\($0.id) \($0.name) \($0.how)" }, ["d1 linux poweroff", "d0 dom0 poweroff"],
                       "transcript:\n\(result.transcript)")
    }

    /// An unprivileged domain may not use domctl.
    func checkDomctlIsRefusedToDomU(on setup: MachineSetup) {
        guard let result = boot(setup, Boot(domains: [BootExpectations.domctlConfig])) else { return }
        assertStatus(result, .success)
        assertLine(result, startingWith: BootExpectations.domctlLinePrefix, containing: BootExpectations.domctlLineWords)
    }

    /// Both domains printed, and some line of the second came before the
    /// last line of the first: they ran at the same time.
    func assertInterleaved(_ result: BootResult, _ first: String, _ second: String, file: StaticString = #filePath, line: UInt = #line) {
        let lines = lines(of: result)
        let lastOfFirst = lines.lastIndex { $0.hasPrefix(first) }
        let firstOfSecond = lines.firstIndex { $0.hasPrefix(second) }
        guard let lastOfFirst, let firstOfSecond else {
            XCTFail("expected lines starting with \"\(first)\" and \"\(second)\"; transcript:\n\(result.transcript)", file: file, line: line)
            return
        }
        XCTAssertLessThan(firstOfSecond, lastOfFirst, "\"\(second)\" lines all come after the last \"\(first)\" line: the domains did not run at the same time; transcript:\n\(result.transcript)", file: file, line: line)
    }
}
