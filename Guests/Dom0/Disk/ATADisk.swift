/// One disk on the machine's legacy ATA controller, driven by PIO with
/// polling: the device dom0's blkback serves to the domains (BlockDevice).
/// The hypervisor gives dom0, and only dom0, the controller's ports
/// (Kernel/Core/IOPortBitmap.swift), so IN and OUT here reach the emulated
/// hardware without an exit.
///
/// The register sequences are ATA/ATAPI-6's (T13 1410D): IDENTIFY DEVICE
/// (ECh), READ/WRITE SECTORS (20h/30h, 28-bit LBA) and their EXT forms
/// (24h/34h, 48-bit LBA) for disks beyond 128 GiB, FLUSH CACHE (E7h/EAh).
/// Interrupts stay off (nIEN): dom0 polls the status register, which is
/// simple and, under an emulator, costs no more than waiting for an IRQ.
final class ATADisk: BlockDevice {
    static let sectorSize = 512
    /// Sectors one READ/WRITE SECTORS command moves at most (count 0 = 256).
    static let sectorsPerCommand = 256

    /// 0 primary master, 1 primary slave, 2 secondary master, 3 secondary slave.
    let position: Int
    let sectorCount: UInt64
    let model: String
    private let usesLBA48: Bool
    private let registers: ATARegisters

    private init(position: Int, registers: ATARegisters, identity: [UInt16]) {
        self.position = position
        self.registers = registers
        // Word 83 bit 10: the 48-bit feature set; words 100-103 its size,
        // words 60-61 the 28-bit one.
        usesLBA48 = identity[83] & (1 << 10) != 0
        let lba28 = UInt64(identity[60]) | UInt64(identity[61]) << 16
        let lba48 = (0..<4).reduce(UInt64(0)) { $0 | UInt64(identity[100 + $1]) << (16 * UInt64($1)) }
        sectorCount = usesLBA48 && lba48 != 0 ? lba48 : lba28
        model = Self.text(identity[27...46])
    }

    /// The ATA disks on the controller, by position; an empty position, a
    /// CD-ROM (ATAPI) or a channel that is not there gives none.
    static func probeAll() -> [ATADisk] {
        (0..<DiskAssignment.positionCount).compactMap { probe(position: $0) }
    }

    static func probe(position: Int) -> ATADisk? {
        let registers = ATARegisters(channel: position / 2, device: position % 2)
        registers.disableInterrupts()
        registers.select()
        // No device: a floating bus reads FFh, QEMU's empty position 00h.
        let status = registers.status
        guard status != 0xFF && status != 0 else { return nil }
        registers.setCommandParameters(count: 0, lba: 0)
        registers.command(ATARegisters.identifyDevice)
        guard registers.status != 0, registers.waitWhileBusy() else { return nil }
        // An ATAPI device (the Bochs boot CD) aborts IDENTIFY DEVICE and
        // leaves its signature in the LBA mid and high registers.
        guard !registers.hasPacketSignature, registers.waitForData() else { return nil }
        var identity = [UInt16](repeating: 0, count: 256)
        identity.withUnsafeMutableBytes { registers.readData(into: $0.baseAddress!, words: 256) }
        let disk = ATADisk(position: position, registers: registers, identity: identity)
        return disk.sectorCount > 0 ? disk : nil
    }

    // MARK: - Transfers

    func read(sector: UInt64, count: Int, into buffer: UnsafeMutableRawPointer) -> Bool {
        transfer(sector: sector, count: count) { done, chunk in
            guard registers.start(usesLBA48 ? ATARegisters.readSectorsExtended : ATARegisters.readSectors,
                                  sector: sector + UInt64(done), count: chunk, lba48: usesLBA48) else { return false }
            for index in 0..<chunk {
                guard registers.waitForData() else { return false }
                registers.readData(into: buffer + (done + index) * Self.sectorSize, words: Self.sectorSize / 2)
            }
            return true
        }
    }

    func write(sector: UInt64, count: Int, from buffer: UnsafeRawPointer) -> Bool {
        transfer(sector: sector, count: count) { done, chunk in
            guard registers.start(usesLBA48 ? ATARegisters.writeSectorsExtended : ATARegisters.writeSectors,
                                  sector: sector + UInt64(done), count: chunk, lba48: usesLBA48) else { return false }
            for index in 0..<chunk {
                guard registers.waitForData() else { return false }
                registers.writeData(from: buffer + (done + index) * Self.sectorSize, words: Self.sectorSize / 2)
            }
            // The last sector is on the device once BSY drops without ERR.
            return registers.waitWhileBusy() && !registers.hasFailed
        }
    }

    /// FLUSH CACHE: every completed write reaches the medium (the host's
    /// image file, under an emulator) before this returns true.
    func flush() -> Bool {
        registers.select()
        guard registers.waitWhileBusy() else { return false }
        registers.command(usesLBA48 ? ATARegisters.flushCacheExtended : ATARegisters.flushCache)
        return registers.waitWhileBusy() && !registers.hasFailed
    }

    /// Checks the range, then runs `chunkBody(done, count)` for each
    /// command-sized part of it.
    private func transfer(sector: UInt64, count: Int, _ chunkBody: (Int, Int) -> Bool) -> Bool {
        guard count > 0, sector < sectorCount, UInt64(count) <= sectorCount - sector else { return false }
        guard usesLBA48 || sector + UInt64(count) <= 1 << 28 else { return false }
        var done = 0
        while done < count {
            let chunk = min(count - done, Self.sectorsPerCommand)
            guard chunkBody(done, chunk) else {
                print("dom0: disk \(position): error at sector \(sector + UInt64(done)) (status \(hex(UInt64(registers.status), digits: 2)), error \(hex(UInt64(registers.error), digits: 2)))")
                return false
            }
            done += chunk
        }
        return true
    }

    /// IDENTIFY's strings hold two characters per word, the first in the
    /// high byte, padded with spaces.
    private static func text(_ words: ArraySlice<UInt16>) -> String {
        var bytes: [UInt8] = []
        for word in words { bytes.append(UInt8(word >> 8)); bytes.append(UInt8(word & 0xFF)) }
        while let last = bytes.last, last == UInt8(ascii: " ") || last == 0 { bytes.removeLast() }
        return String(decoding: bytes.map { $0 >= 0x20 && $0 < 0x7F ? $0 : UInt8(ascii: "?") }, as: UTF8.self)
    }
}
