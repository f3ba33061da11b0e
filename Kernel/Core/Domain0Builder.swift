/// Builds domain 0 at boot from its kernel image, the first boot module:
/// memory, nested page tables, the loaded image and start info, and one
/// vCPU in the PVH start state. On any error everything allocated so far
/// is given back. Every other domain is built by dom0 itself, through
/// hypercalls (Guests/Dom0/DomainBuilder.swift).
struct Domain0Builder {
    struct Request {
        var id: UInt16
        var name: String
        var isPrivileged: Bool
        var image: UnsafeRawBufferPointer
        var memoryBytes: UInt64
        var commandLine: [UInt8]
        var modules: [PVHLoader.Module]
    }

    /// The smallest domain that makes sense: the image, its start info and
    /// a stack need more than a few pages.
    static let minimumMemory: UInt64 = 1 << 20
    /// What one domain may have; larger requests are refused up front.
    static let maximumMemory: UInt64 = 1 << 32

    static func build(_ request: Request, on hypervisor: Hypervisor) throws(Domain0BuildError) -> Domain {
        guard request.memoryBytes >= minimumMemory, request.memoryBytes <= maximumMemory else {
            throw .badMemorySize(request.memoryBytes)
        }
        let image: ElfImage
        do { image = try ElfImage(request.image) } catch { throw .badImage(error) }

        let memory: DomainMemory
        do {
            memory = try DomainMemory(bytes: request.memoryBytes, format: hypervisor.backend.nestedPageFormat,
                                      frames: hypervisor.frames,
                                      contents: request.isPrivileged ? .domain0AtBoot : .zeroed)
        } catch {
            throw .outOfMemory(request.memoryBytes)
        }

        let layout: PVHLoader.Layout
        do {
            // With ACPI tables for its one vCPU: a PVH Linux finds its
            // local APIC through the MADT (ACPITables).
            layout = try PVHLoader.load(image: image, file: request.image, into: memory,
                                        commandLine: request.commandLine, modules: request.modules,
                                        processorCount: 1)
        } catch {
            memory.release()
            throw .doesNotFit(error)
        }
        if request.isPrivileged { PVHLoader.markPrivileged(startInfo: layout.startInfoAddress, in: memory) }

        let domain = Domain(id: request.id, name: request.name, isPrivileged: request.isPrivileged, memory: memory)
        domain.acpiTables = layout.acpiTables
        // The privileged domain drives the machine's disks (its blkback
        // serves them to the others): the ATA ports are its own.
        if request.isPrivileged { domain.ioPortBitmap = IOPortBitmap(allowing: IOPortBitmap.legacyATAPorts) }
        let vcpu = VCPU(domainID: request.id, index: 0)
        vcpu.registers.pointee.rbx = layout.startInfoAddress      // PVH: EBX -> hvm_start_info
        do {
            try hypervisor.backend.createVCPU(vcpu, entryPoint: layout.entryPoint,
                                              nestedPagingRoot: memory.nestedPageTable.root,
                                              ioPorts: domain.ioPortBitmap)
        } catch {
            memory.release()
            throw .vcpuCreation(error)
        }
        domain.vcpus.append(vcpu)
        Log.info("d\(domain.id) (\(domain.name)): \(byteCount(memory.byteCount)), image \(hex(layout.imageRange.start, digits: 8))-\(hex(layout.imageRange.end, digits: 8)), entry \(hex(UInt64(layout.entryPoint), digits: 8)), start info at \(hex(layout.startInfoAddress, digits: 8)), ACPI tables at \(hex(layout.acpiTables?.start ?? 0, digits: 8))")
        return domain
    }
}

enum Domain0BuildError: Error {
    case badMemorySize(UInt64)
    case badImage(ElfError)
    case outOfMemory(UInt64)
    case doesNotFit(PVHLoader.LoadError)
    case vcpuCreation(VirtualizationError)

    var message: String {
        switch self {
        case .badMemorySize(let bytes):
            "memory size \(byteCount(bytes)) is outside \(byteCount(Domain0Builder.minimumMemory))..\(byteCount(Domain0Builder.maximumMemory))"
        case .badImage(let error): error.message
        case .outOfMemory(let bytes): "not enough free memory for \(byteCount(bytes))"
        case .doesNotFit(let error): error.message
        case .vcpuCreation(let error): "could not create the vCPU: " + error.message
        }
    }
}
