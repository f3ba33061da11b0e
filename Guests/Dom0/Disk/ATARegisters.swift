import GuestSupport

/// One device's view of an ATA channel's registers (ATA/ATAPI-6, 7.1):
/// the command block at 1F0h (primary) or 170h (secondary), the control
/// block at 3F6h or 376h, and which of the two devices is selected.
struct ATARegisters {
    static let identifyDevice: UInt8 = 0xEC
    static let readSectors: UInt8 = 0x20
    static let readSectorsExtended: UInt8 = 0x24
    static let writeSectors: UInt8 = 0x30
    static let writeSectorsExtended: UInt8 = 0x34
    static let flushCache: UInt8 = 0xE7
    static let flushCacheExtended: UInt8 = 0xEA

    // Status register bits.
    private static let busy: UInt8 = 0x80
    private static let deviceFault: UInt8 = 0x20
    private static let dataRequest: UInt8 = 0x08
    private static let errorBit: UInt8 = 0x01

    /// How long a command may keep the device busy: far more than any
    /// emulated disk needs, so only a broken device hits it.
    private static let timeoutNanoseconds: UInt64 = 30_000_000_000

    private let base: UInt16
    private let control: UInt16
    /// 0 (master) or 1 (slave): bit 4 of the device register.
    private let device: UInt8

    init(channel: Int, device: Int) {
        base = channel == 0 ? 0x1F0 : 0x170
        control = channel == 0 ? 0x3F6 : 0x376
        self.device = UInt8(device)
    }

    var status: UInt8 { port_read8(base + 7) }
    var error: UInt8 { port_read8(base + 1) }
    var hasFailed: Bool { status & (Self.errorBit | Self.deviceFault) != 0 }
    /// ATAPI devices (and SATA bridges) leave a signature in LBA mid/high.
    var hasPacketSignature: Bool { port_read8(base + 4) != 0 || port_read8(base + 5) != 0 }

    /// nIEN: the device raises no interrupt; dom0 polls.
    func disableInterrupts() { port_write8(control, 0x02) }

    /// Selects the device and waits the 400 ns the standard asks before
    /// its status is valid (four reads of the alternate status register).
    func select() {
        port_write8(base + 6, 0xA0 | device << 4)
        for _ in 0..<4 { _ = port_read8(control) }
    }

    func setCommandParameters(count: UInt8, lba: UInt8) {
        for offset: UInt16 in 2...5 { port_write8(base + offset, offset == 2 ? count : lba) }
    }

    func command(_ code: UInt8) { port_write8(base + 7, code) }

    /// Loads the sector address and count and issues `code`. 48-bit: the
    /// high bytes first, each register keeps two ("previous" and current).
    func start(_ code: UInt8, sector: UInt64, count: Int, lba48: Bool) -> Bool {
        select()
        guard waitWhileBusy() else { return false }
        let count16 = UInt16(count & 0xFFFF)   // 256 in 28-bit mode is 0, as the standard wants
        if lba48 {
            port_write8(base + 6, 0x40 | device << 4)
            port_write8(base + 2, UInt8(count16 >> 8))
            port_write8(base + 3, UInt8(truncatingIfNeeded: sector >> 24))
            port_write8(base + 4, UInt8(truncatingIfNeeded: sector >> 32))
            port_write8(base + 5, UInt8(truncatingIfNeeded: sector >> 40))
        } else {
            port_write8(base + 6, 0xE0 | device << 4 | UInt8(truncatingIfNeeded: sector >> 24) & 0x0F)
        }
        port_write8(base + 2, UInt8(truncatingIfNeeded: count16))
        port_write8(base + 3, UInt8(truncatingIfNeeded: sector))
        port_write8(base + 4, UInt8(truncatingIfNeeded: sector >> 8))
        port_write8(base + 5, UInt8(truncatingIfNeeded: sector >> 16))
        command(code)
        return true
    }

    /// Until BSY drops; false on timeout.
    func waitWhileBusy() -> Bool {
        waitFor { $0 & Self.busy == 0 }
    }

    /// Until the device has a sector for us (or wants one); false on an
    /// error or a timeout.
    func waitForData() -> Bool {
        waitFor { $0 & Self.busy == 0 && $0 & (Self.dataRequest | Self.errorBit | Self.deviceFault) != 0 }
            && status & Self.dataRequest != 0 && !hasFailed
    }

    private func waitFor(_ done: (UInt8) -> Bool) -> Bool {
        if done(status) { return true }
        let deadline = SystemTimeReader.now() + Self.timeoutNanoseconds
        while SystemTimeReader.now() < deadline {
            if done(status) { return true }
        }
        return false
    }

    func readData(into buffer: UnsafeMutableRawPointer, words: Int) {
        port_read16_string(base, buffer, UInt64(words))
    }

    func writeData(from buffer: UnsafeRawPointer, words: Int) {
        port_write16_string(base, buffer, UInt64(words))
    }
}
