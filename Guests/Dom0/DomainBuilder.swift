/// Builds a domain from one manifest line the way Xen's toolstack does,
/// through hypercalls only:
///
///   1. check everything that can be checked first (the kernel image, that
///      it and its start info fit, the command line, free memory), so a
///      bad line costs nothing;
///   2. domctl createdomain (paused, empty), max_mem;
///   3. memory_op populate_physmap: RAM at every frame of the domain;
///   4. through a ForeignMemoryWindow: the ELF segments at their physical
///      addresses, then the start info page, the ACPI tables and the
///      ramdisk after the image (DomainImageLayout);
///   5. domctl setvcpucontext (PVH entry, EBX -> start info).
///
/// The domain is left paused: the toolstack unpauses every domain once all
/// are built, so that they start together.
///
/// From step 2 on, a failure destroys the half-built domain.
struct DomainBuilder {
    let modules: [StartInfoModule]

    /// The domain's own pages are not all it costs: the hypervisor takes
    /// its nested page tables (a table page per 512 pages, plus the upper
    /// levels) and the vCPU's control structures from the same free memory.
    static func pagesNeeded(forMemoryPages pages: UInt64) -> UInt64 {
        pages + DomainServices.magicPageCount + pages / 512 + 16
    }

    /// Builds the domain, paused; returns its id.
    func build(_ config: DomainConfig) throws(BuildError) -> DomainID {
        let image = try kernelImage(config)
        let ramdisk = try ramdiskBytes(config)
        let layout = try DomainImageLayout(imageEnd: image.highestAddress, ramdiskSize: UInt64(ramdisk?.count ?? 0),
                                           memoryBytes: config.memoryBytes)
        guard config.commandLine.bytes.count <= StartInfoPage.maximumCommandLine else {
            throw .commandLineTooLong(config.commandLine.bytes.count)
        }
        let free = try attempt("sysctl physinfo") { () throws(HypercallFailure) in try Sysctl.physinfo().freePages }
        let pagesNeeded = Self.pagesNeeded(forMemoryPages: config.memoryPages)
        guard pagesNeeded <= free else { throw .notEnoughMemory(neededPages: pagesNeeded, freePages: free) }

        let domain = try attempt("createdomain") { () throws(HypercallFailure) in try Domctl.create(name: config.name) }
        do {
            try fill(domain, config, image, ramdisk: ramdisk, layout: layout)
        } catch {
            try? Domctl.destroy(domain)
            throw error
        }
        return domain
    }

    /// The boot module `config` names, checked as a PVH kernel.
    private func kernelImage(_ config: DomainConfig) throws(BuildError) -> ElfImage {
        guard config.kernelModule != 0 else { throw .manifestIsNoKernel }
        guard config.kernelModule < modules.count else {
            throw .noSuchModule(config.kernelModule, moduleCount: modules.count)
        }
        do {
            return try ElfImage(modules[config.kernelModule].bytes)
        } catch {
            throw .badImage(module: config.kernelModule, error)
        }
    }

    /// The bytes of the boot module `config` names as its ramdisk, if any.
    /// Any file will do: what it holds is the kernel's business.
    private func ramdiskBytes(_ config: DomainConfig) throws(BuildError) -> UnsafeRawBufferPointer? {
        guard let index = config.ramdiskModule else { return nil }
        guard index != 0 else { throw .manifestIsNoRamdisk }
        guard index < modules.count else { throw .noSuchRamdiskModule(index, moduleCount: modules.count) }
        return modules[index].bytes
    }

    /// Steps 2 to 5, on the new, paused domain.
    private func fill(_ domain: DomainID, _ config: DomainConfig, _ image: ElfImage,
                      ramdisk: UnsafeRawBufferPointer?, layout: DomainImageLayout) throws(BuildError) {
        try attempt("max_mem") { () throws(HypercallFailure) in
            // Its RAM and the magic pages after it (DomainServices).
            try Domctl.setMaxMemory(domain, kilobytes: config.memoryMiB * 1024 + DomainServices.magicPageCount * 4)
        }
        let populated = try attempt("populate_physmap") { () throws(HypercallFailure) in
            try MemoryOp.populate(domain, run: 0..<config.memoryPages)
        }
        guard populated == config.memoryPages else { throw .populatedTooFew(done: populated, wanted: config.memoryPages) }

        try attempt("loading the image") { () throws(HypercallFailure) in
            let file = modules[config.kernelModule].bytes
            for segment in image.segments {
                try ForeignMemoryWindow.write(segment.bytes(in: file), to: domain, at: segment.physicalAddress)
                // The rest of the segment (.bss) must read as zeros.
                try ForeignMemoryWindow.zero(domain, at: segment.physicalAddress + segment.fileSize,
                                             count: segment.memorySize - segment.fileSize)
            }
        }
        if let ramdisk {
            try attempt("loading the ramdisk") { () throws(HypercallFailure) in
                try ForeignMemoryWindow.write(ramdisk, to: domain, at: layout.ramdisk.start)
            }
        }
        try attempt("writing the ACPI tables") { () throws(HypercallFailure) in
            try write(StartInfoPage.acpiTables(layout), to: domain, at: layout.acpiTablesAddress)
        }
        try attempt("writing the start info") { () throws(HypercallFailure) in
            try write(StartInfoPage.contents(layout, memoryBytes: config.memoryBytes, commandLine: config.commandLine),
                      to: domain, at: layout.startInfoAddress)
        }
        try attempt("setvcpucontext") { () throws(HypercallFailure) in
            try Domctl.setVCPUContext(domain, entry: image.entryPoint, startInfo: UInt32(layout.startInfoAddress))
        }
    }

    /// Copies a page dom0 made into the domain.
    private func write(_ page: [UInt8], to domain: DomainID, at address: UInt64) throws(HypercallFailure) {
        // withUnsafeBytes only rethrows untyped errors: carry ours out.
        let failure = page.withUnsafeBytes { bytes -> HypercallFailure? in
            do throws(HypercallFailure) {
                try ForeignMemoryWindow.write(bytes, to: domain, at: address)
                return nil
            } catch { return error }
        }
        if let failure { throw failure }
    }

    /// Runs one hypercall step, naming the step if it fails.
    private func attempt<Result>(_ step: StaticString, _ body: () throws(HypercallFailure) -> Result) throws(BuildError) -> Result {
        do { return try body() } catch { throw .hypercall(step, error) }
    }
}
