/// Copying into a domain's RAM: the domain builder's and the ELF loader's
/// way in. Only RAM: a foreign mapping is never written through.
extension DomainMemory {
    /// Copies bytes into guest-physical RAM; false if any byte would land
    /// outside it (nothing is written then).
    func write(_ bytes: UnsafeRawBufferPointer, at guestPhysical: UInt64) -> Bool {
        guard covers(guestPhysical, count: UInt64(bytes.count)) else { return false }
        var done = 0
        while done < bytes.count {
            let address = guestPhysical + UInt64(done)
            let chunk = min(bytes.count - done, Int(4096 - (address & 0xFFF)))
            physicalMemory.pointer(hostAddress(of: address)!).copyMemory(from: bytes.baseAddress! + done, byteCount: chunk)
            done += chunk
        }
        return true
    }

    func write(_ bytes: [UInt8], at guestPhysical: UInt64) -> Bool {
        bytes.withUnsafeBytes { write($0, at: guestPhysical) }
    }

    /// Zero-fills guest-physical RAM (the ELF loader's .bss).
    func zero(at guestPhysical: UInt64, count: UInt64) -> Bool {
        guard covers(guestPhysical, count: count) else { return false }
        var done: UInt64 = 0
        while done < count {
            let address = guestPhysical + done
            let chunk = min(count - done, 4096 - (address & 0xFFF))
            physicalMemory.pointer(hostAddress(of: address)!).initializeMemory(as: UInt8.self, repeating: 0, count: Int(chunk))
            done += chunk
        }
        return true
    }

    /// Whether every byte of the range is populated RAM.
    func covers(_ guestPhysical: UInt64, count: UInt64) -> Bool {
        guard count > 0 else { return true }
        let (last, overflow) = guestPhysical.addingReportingOverflow(count - 1)
        guard !overflow else { return false }
        var frame = guestPhysical / 4096
        while frame <= last / 4096 {
            guard hostFrame(of: frame) != nil else { return false }
            frame += 1
        }
        return true
    }
}
