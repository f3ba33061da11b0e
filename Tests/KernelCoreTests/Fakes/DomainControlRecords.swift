import XCTest
import XenPublic
@testable import KernelCore

/// Test-side builders of the domain-control ABI structs, spelled with the
/// XenPublic C types themselves, so a test writes exactly what a C guest
/// would. DomainControlLayoutTests checks the offsets Core relies on.
enum DomctlRecord {
    static let version = UInt32(XEN_DOMCTL_INTERFACE_VERSION)
    static let hvmAndHAP = UInt32(XEN_DOMCTL_CDF_hvm) | UInt32(XEN_DOMCTL_CDF_hap)

    static func make(_ command: Int32, domain: UInt16, version: UInt32 = version) -> xen_domctl {
        var record = xen_domctl()
        record.cmd = UInt32(bitPattern: command)
        record.interface_version = version
        record.domain = domain
        return record
    }

    static func createdomain(domain: UInt16 = 0, handle: [UInt8] = Self.handle("guest"),
                             flags: UInt32 = hvmAndHAP, maxVCPUs: UInt32 = 1) -> xen_domctl {
        var record = make(XEN_DOMCTL_createdomain, domain: domain)
        var payload = xen_domctl_createdomain()
        payload.ssidref = 0xDEAD_BEEF
        let h = handle + [UInt8](repeating: 0, count: max(0, 16 - handle.count))
        payload.handle = (h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7],
                          h[8], h[9], h[10], h[11], h[12], h[13], h[14], h[15])
        payload.flags = flags
        payload.max_vcpus = maxVCPUs
        payload.max_evtchn_port = 1023
        payload.max_grant_frames = 32
        record.u.createdomain = payload
        return record
    }

    static func maxMem(domain: UInt16, kilobytes: UInt64) -> xen_domctl {
        var record = make(XEN_DOMCTL_max_mem, domain: domain)
        record.u.max_mem.max_memkb = kilobytes
        return record
    }

    static func maxVCPUs(domain: UInt16, count: UInt32) -> xen_domctl {
        var record = make(XEN_DOMCTL_max_vcpus, domain: domain)
        record.u.max_vcpus.max = count
        return record
    }

    static func vcpuContext(domain: UInt16, vcpu: UInt32 = 0, context: UInt64) -> xen_domctl {
        var record = make(XEN_DOMCTL_setvcpucontext, domain: domain)
        record.u.vcpucontext.vcpu = vcpu
        record.u.vcpucontext.ctxt = context
        return record
    }

    /// 16 handle bytes: the text, NUL-padded.
    static func handle(_ text: String) -> [UInt8] {
        let bytes = Array(text.utf8.prefix(16))
        return bytes + [UInt8](repeating: 0, count: 16 - bytes.count)
    }

    static func handleBytes(_ info: xen_domctl_getdomaininfo) -> [UInt8] {
        withUnsafeBytes(of: info.handle) { Array($0) }
    }
}

/// The PVH start state of vCPU 0 as dom0's builder writes it: 32-bit
/// protected mode, paging off, flat segments, EBX = start info; the
/// general registers hold distinct values so a misplaced one shows.
enum StartContext {
    static let eax: UInt32 = 0x1000_00A0, ecx: UInt32 = 0x2000_00C1, edx: UInt32 = 0x3000_00D2
    static let ebx: UInt32 = 0x4000_00B3, esp: UInt32 = 0x5000_005E, ebp: UInt32 = 0x6000_00BE
    static let esi: UInt32 = 0x7000_0051, edi: UInt32 = 0x8000_00D1

    static func make(entry: UInt32) -> vcpu_hvm_context {
        var context = vcpu_hvm_context()
        context.mode = UInt32(VCPU_HVM_MODE_32B)
        var registers = vcpu_hvm_x86_32()
        registers.eax = eax; registers.ecx = ecx; registers.edx = edx; registers.ebx = ebx
        registers.esp = esp; registers.ebp = ebp; registers.esi = esi; registers.edi = edi
        registers.eip = entry
        registers.eflags = 0x2
        registers.cr0 = 0x11                     // PE | ET
        registers.cs_limit = 0xFFFF_FFFF; registers.ds_limit = 0xFFFF_FFFF
        registers.ss_limit = 0xFFFF_FFFF; registers.es_limit = 0xFFFF_FFFF
        registers.tr_limit = 0x67                // a TSS is not flat
        registers.cs_ar = 0xC9B; registers.ds_ar = 0xC93; registers.ss_ar = 0xC93
        registers.es_ar = 0xC93; registers.tr_ar = 0x8B
        context.cpu_regs.x86_32 = registers
        return context
    }
}

/// What the guest finds in RAX for the errors the domain-control tests meet
/// (the common ones are in HypervisorFixture.swift).
extension ReturnValue {
    static let ENOMEM = UInt64(bitPattern: -12)
    static let EACCES = UInt64(bitPattern: -13)
    static let EBUSY = UInt64(bitPattern: -16)
    static let EEXIST = UInt64(bitPattern: -17)
    static let ENOSPC = UInt64(bitPattern: -28)
}

extension DomainMemory {
    /// Writes a C struct (or any plain value) into guest-physical RAM.
    func put<T>(_ value: T, at guestPhysical: UInt64, file: StaticString = #filePath, line: UInt = #line) {
        var copy = value
        XCTAssertTrue(withUnsafeBytes(of: &copy) { write($0, at: guestPhysical) }, file: file, line: line)
    }

    func put(words: [UInt64], at guestPhysical: UInt64, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertTrue(words.withUnsafeBytes { write($0, at: guestPhysical) }, file: file, line: line)
    }
}

/// Guest buffers in the calling domain's RAM (1 MiB from 0 in the fixture;
/// the guest runs with paging off, so these are also its pointers).
enum GuestBuffer {
    static let domctl: UInt64 = 0x8000
    static let vcpuContext: UInt64 = 0x9000
    static let reservation: UInt64 = 0xA000
    static let extents: UInt64 = 0xB000
    static let batch: UInt64 = 0xC000
    static let indices: UInt64 = 0xC100
    static let guestFrames: UInt64 = 0xD000
    static let errors: UInt64 = 0xE000
    static let sysctl: UInt64 = 0xF000
    static let eventChannel: UInt64 = 0x7000
    /// Past the caller's 1 MiB of RAM: EFAULT.
    static let outside: UInt64 = 0x20_0000
}

/// The hypercalls dom0's domain builder makes, run through the dispatcher
/// with their argument structs in the caller's memory.
extension HypervisorFixture {
    static let domidSelf = UInt16(DOMID_SELF)

    func domain(_ id: UInt16) -> Domain? { hypervisor.domains.first { $0.id == id } }

    /// Writes `record` at GuestBuffer.domctl and calls domctl with it.
    @discardableResult
    func domctl(_ caller: Domain, _ record: xen_domctl) -> UInt64 {
        caller.memory.put(record, at: GuestBuffer.domctl)
        return call(caller, __HYPERVISOR_domctl, GuestBuffer.domctl)
    }

    /// The domctl struct as the hypervisor left it.
    func domctlResult(_ caller: Domain) -> xen_domctl {
        caller.memory.load(xen_domctl.self, at: GuestBuffer.domctl)
    }

    /// createdomain as dom0; nil (and a failure) when it did not return 0.
    func createDomain(_ name: String = "guest", id: UInt16 = 0,
                      file: StaticString = #filePath, line: UInt = #line) -> Domain? {
        let result = domctl(dom0, DomctlRecord.createdomain(domain: id, handle: DomctlRecord.handle(name)))
        XCTAssertEqual(result, ReturnValue.ok, "createdomain", file: file, line: line)
        guard result == ReturnValue.ok else { return nil }
        let created = domain(domctlResult(dom0).domain)
        XCTAssertNotNil(created, file: file, line: line)
        return created
    }

    func setMaxMem(_ id: UInt16, kilobytes: UInt64) -> UInt64 {
        domctl(dom0, DomctlRecord.maxMem(domain: id, kilobytes: kilobytes))
    }

    /// getdomaininfo for `id`: the return value and the payload.
    func domainInfo(_ caller: Domain, _ id: UInt16) -> (UInt64, xen_domctl) {
        let result = domctl(caller, DomctlRecord.make(XEN_DOMCTL_getdomaininfo, domain: id))
        return (result, domctlResult(caller))
    }

    /// Writes the context at GuestBuffer.vcpuContext and calls setvcpucontext.
    func setStartContext(_ id: UInt16, _ context: vcpu_hvm_context, vcpu: UInt32 = 0) -> UInt64 {
        dom0.memory.put(context, at: GuestBuffer.vcpuContext)
        return domctl(dom0, DomctlRecord.vcpuContext(domain: id, vcpu: vcpu, context: GuestBuffer.vcpuContext))
    }

    /// populate_physmap or decrease_reservation of `frames` for `domid`.
    func reservation(_ caller: Domain, _ command: Int32, domid: UInt16, frames: [UInt64],
                     order: UInt32 = 0, list: UInt64 = GuestBuffer.extents, count: UInt64? = nil) -> UInt64 {
        var reservation = xen_memory_reservation()
        reservation.extent_start = list
        reservation.nr_extents = count ?? UInt64(frames.count)
        reservation.extent_order = order
        reservation.domid = domid
        caller.memory.put(reservation, at: GuestBuffer.reservation)
        if !frames.isEmpty { caller.memory.put(words: frames, at: GuestBuffer.extents) }
        return call(caller, __HYPERVISOR_memory_op, UInt64(command), GuestBuffer.reservation)
    }

    func populate(_ domid: UInt16, frames: [UInt64], by caller: Domain? = nil) -> UInt64 {
        reservation(caller ?? dom0, XENMEM_populate_physmap, domid: domid, frames: frames)
    }

    /// XENMEM_add_to_physmap_batch: the return value and errs[] (prefilled
    /// with 0x5555_5555, so untouched entries show).
    func addToPhysmapBatch(_ caller: Domain, foreign: UInt16, indices: [UInt64], guestFrames: [UInt64],
                           domid: UInt16 = domidSelf, space: UInt16 = UInt16(XENMAPSPACE_gmfn_foreign),
                           size: UInt16? = nil, indexList: UInt64 = GuestBuffer.indices) -> (UInt64, [Int32]) {
        var batch = xen_add_to_physmap_batch()
        batch.domid = domid
        batch.space = space
        batch.size = size ?? UInt16(indices.count)
        batch.foreign_domid = foreign
        batch.idxs = indexList
        batch.gpfns = GuestBuffer.guestFrames
        batch.errs = GuestBuffer.errors
        caller.memory.put(batch, at: GuestBuffer.batch)
        if !indices.isEmpty { caller.memory.put(words: indices, at: GuestBuffer.indices) }
        if !guestFrames.isEmpty { caller.memory.put(words: guestFrames, at: GuestBuffer.guestFrames) }
        let errorCount = max(indices.count, 1)
        XCTAssertTrue(caller.memory.write([UInt8](repeating: 0x55, count: errorCount * 4), at: GuestBuffer.errors))
        let result = call(caller, __HYPERVISOR_memory_op, UInt64(XENMEM_add_to_physmap_batch), GuestBuffer.batch)
        let errors = caller.memory.bytes(at: GuestBuffer.errors, count: errorCount * 4).withUnsafeBytes { raw in
            (0..<errorCount).map { raw.loadUnaligned(fromByteOffset: $0 * 4, as: Int32.self) }
        }
        return (result, errors)
    }

    func removeFromPhysmap(_ caller: Domain, gpfn: UInt64, domid: UInt16 = domidSelf) -> UInt64 {
        var remove = xen_remove_from_physmap()
        remove.domid = domid
        remove.gpfn = gpfn
        caller.memory.put(remove, at: GuestBuffer.batch)
        return call(caller, __HYPERVISOR_memory_op, UInt64(XENMEM_remove_from_physmap), GuestBuffer.batch)
    }

    /// XENMEM_add_to_physmap (64-bit layout: call enterLongMode first), by
    /// default the shared_info page of `domid` at `gpfn`.
    func addToPhysmap(_ caller: Domain, domid: UInt16, gpfn: UInt64,
                      space: UInt32 = UInt32(XENMAPSPACE_shared_info), index: UInt64 = 0) -> UInt64 {
        var request = xen_add_to_physmap()
        request.domid = domid
        request.space = space
        request.idx = index
        request.gpfn = gpfn
        caller.memory.put(request, at: GuestBuffer.batch)
        return call(caller, __HYPERVISOR_memory_op, UInt64(XENMEM_add_to_physmap), GuestBuffer.batch)
    }

    /// Puts dom0's (every guest's) CPU in long mode, as far as GuestMemory
    /// cares: EFER.LMA with paging left off keeps pointers guest-physical.
    func enterLongMode() { backend.state.efer |= 1 << 10 }

    /// A domain as dom0's builder leaves it before unpausing: created,
    /// max_mem, `frames` populated, vCPU 0 set to start at `entry`.
    func buildDomain(_ name: String = "guest", frames: [UInt64], entry: UInt32,
                     file: StaticString = #filePath, line: UInt = #line) -> Domain? {
        guard let domain = createDomain(name, file: file, line: line) else { return nil }
        XCTAssertEqual(setMaxMem(domain.id, kilobytes: UInt64(frames.count) * 4), ReturnValue.ok, file: file, line: line)
        XCTAssertEqual(populate(domain.id, frames: frames), UInt64(frames.count), file: file, line: line)
        XCTAssertEqual(setStartContext(domain.id, StartContext.make(entry: entry)), ReturnValue.ok, file: file, line: line)
        return domain
    }
}
