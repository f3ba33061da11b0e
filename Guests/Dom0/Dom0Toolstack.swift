/// What dom0 does when it boots with a manifest: build every domain the
/// manifest lists, watch them until they end (DomainSupervisor: it sleeps
/// until VIRQ_DOM_EXC says one did), destroy them, and check that
/// the hypervisor got every page back. Then dom0 powers off, and with it
/// the machine.
///
/// Every domain of the manifest that is not started gets one line that
/// says why (`reportNotBuilt`); xtool shows the reason in its table and
/// fails the boot.
enum Dom0Toolstack {
    /// `modules[0]` is the manifest; the kernels are the modules it names.
    /// `memoryMap` is dom0's own. `diskBenchMiB`: how much of each disk
    /// to read directly and time first (nil: no bench).
    static func run(manifest: StartInfoModule, modules: [StartInfoModule], memoryMap: [MemoryMapEntry], diskBenchMiB: UInt64?) {
        let configs = Manifest.domains(in: GuestString(manifest.bytes))
        print("dom0: manifest: \(configs.count) domain(s) to build")
        // The builder sees new domains through a window above dom0's RAM;
        // with RAM there, a mapping would hide dom0's own memory.
        let ramEnd = memoryMap.filter { $0.isRAM }.reduce(0) { max($0, $1.end) }
        guard ramEnd <= ForeignMemoryWindow.windowAddress else {
            print("dom0: my RAM ends at \(hex(ramEnd, digits: 1)), above the foreign-mapping window at \(hex(ForeignMemoryWindow.windowAddress, digits: 1)): building no domains")
            for config in configs { reportNotBuilt(config, "dom0's RAM overlaps the foreign-mapping window") }
            return
        }
        // Before counting free pages: binding the VIRQ and mapping
        // shared_info take pages of their own, which do not come back.
        let supervisor: DomainSupervisor
        do throws(HypercallFailure) {
            supervisor = try DomainSupervisor.start()
        } catch {
            print("dom0: cannot watch for domain ends (VIRQ_DOM_EXC): \(error.name) (\(error.result)): building no domains")
            for config in configs { reportNotBuilt(config, "dom0 cannot bind VIRQ_DOM_EXC") }
            return
        }
        let freeBefore = freePages(when: "before building")
        // Probing costs a few port reads per position; it is done only
        // when a domain is to get a disk.
        let disks = configs.contains { !$0.disks.isEmpty } || diskBenchMiB != nil ? MachineDisks() : nil
        if let disks, let diskBenchMiB {
            DiskReadBench.run(disks, mebibytes: min(diskBenchMiB, DiskReadBench.maximumMiB))
        }

        let builder = DomainBuilder(modules: modules)
        var started: [StartedDomain] = []
        var pagesGiven: UInt64 = 0
        for config in configs {
            do throws(BuildError) {
                let id = try builder.build(config)
                do throws(BuildError) {
                    try supervisor.services.connect(id, config)
                    if let disks {
                        try attachDisks(of: config, to: id, from: disks, services: supervisor.services)
                    }
                } catch {
                    supervisor.services.release(id)
                    try? Domctl.destroy(id)
                    throw error
                }
                started.append(StartedDomain(id: id, config: config))
                pagesGiven += config.memoryPages + DomainServices.magicPageCount
                print("dom0: built d\(id) (\(config.name.string)), \(config.memoryMiB) MiB")
            } catch {
                reportNotBuilt(config, error.message)
            }
        }
        // Start them together, once all are built: building takes dom0 many
        // time slices, and a domain started early would have the CPU to
        // itself meanwhile.
        started = started.filter { unpause($0, services: supervisor.services) }

        supervisor.waitForAll(started)
        supervisor.destroyRemaining(started)
        if let freeBefore, let freeAfter = freePages(when: "after destroying") {
            checkMemory(before: freeBefore, after: freeAfter, given: pagesGiven)
        }
    }

    /// Gives the domain the disks its manifest line names, each served by
    /// a blkback of its own (BlockBackendService).
    private static func attachDisks(of config: DomainConfig, to domain: DomainID, from disks: MachineDisks,
                                    services: DomainServices) throws(BuildError) {
        for assignment in config.disks {
            let disk = try disks.claim(assignment.position, for: domain)
            try services.attachDisk(domain: domain, virtualDevice: assignment.virtualDevice, device: disk,
                                    readOnly: assignment.readOnly)
        }
    }

    /// Unpauses one built domain; false (and destroys it) if that fails:
    /// a domain that cannot start counts as not built.
    private static func unpause(_ domain: StartedDomain, services: DomainServices) -> Bool {
        do throws(HypercallFailure) {
            try Domctl.unpause(domain.id)
            print("dom0: started \(domain.label)")
            return true
        } catch {
            services.release(domain.id)
            try? Domctl.destroy(domain.id)
            reportNotBuilt(domain.config, BuildError.hypercall("unpause", error).message)
            return false
        }
    }

    /// The one line for a domain of the manifest that will not run. xtool
    /// reads it (XToolKit's DomainBuildFailure): keep its form,
    /// "dom0: NAME: cannot build: REASON".
    private static func reportNotBuilt(_ config: DomainConfig, _ reason: String) {
        print("dom0: \(config.name.string): cannot build: \(reason)")
    }

    /// physinfo's free pages, printed; nil (and said why) if it failed.
    private static func freePages(when moment: StaticString) -> UInt64? {
        do throws(HypercallFailure) {
            let info = try Sysctl.physinfo()
            print("dom0: physinfo \(moment): \(info.freePages) of \(info.totalPages) pages free (\(info.freePages >> 8) MiB)")
            return info.freePages
        } catch {
            print("dom0: physinfo \(moment) failed: \(error.name) (\(error.result)); no memory check")
            return nil
        }
    }

    /// Every page the domains had (and the hypervisor's own pages for
    /// them) must be free again once they are all destroyed.
    private static func checkMemory(before: UInt64, after: UInt64, given: UInt64) {
        if after == before {
            print("dom0: memory: all \(given) pages returned")
        } else if after < before {
            print("dom0: memory: \(before - after) of \(given) pages missing")
        } else {
            print("dom0: memory: \(after - before) pages more free than before building (\(given) given)")
        }
    }
}
