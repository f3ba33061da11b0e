import XCTest
@testable import KernelCore

/// VMCS field encodings (SDM 24.11.2, appendix B), control settling (SDM
/// A.3-A.5) with made-up capability MSRs, CR0/CR4 masks (SDM 24.6.6), the
/// MSR bitmap (SDM 24.6.9) and the EPT pointer (SDM 24.6.11).
final class VMXEncodingTests: XCTestCase {
    // MARK: VMCS field encodings

    /// Every declared VMCSField: the enum has no list of its cases, so
    /// try every 15-bit encoding.
    private let allFields = (0...0x7FFF).compactMap { VMCSField(rawValue: UInt32($0)) }

    private enum Width: UInt32 { case bits16 = 0, bits64 = 1, bits32 = 2, natural = 3 }
    private enum Kind: UInt32 { case control = 0, exitInformation = 1, guestState = 2, hostState = 3 }

    /// The width and type each field is declared with (appendix B's tables).
    private func declared(_ field: VMCSField) -> (Width, Kind) {
        let name = String(describing: field)
        let exitInformation: Set<VMCSField> = [
            .guestPhysicalAddress, .instructionError, .exitReason, .exitInterruptionInformation,
            .exitInterruptionErrorCode, .idtVectoringInformation, .idtVectoringErrorCode,
            .exitInstructionLength, .exitInstructionInformation, .exitQualification, .guestLinearAddress,
        ]
        let kind: Kind = exitInformation.contains(field) ? .exitInformation
            : name.hasPrefix("guest") || field == .vmcsLinkPointer ? .guestState : name.hasPrefix("host") ? .hostState : .control
        let sixteen: Set<VMCSField> = [.virtualProcessorIdentifier]
        let sixtyFour: Set<VMCSField> = [
            .ioBitmapA, .ioBitmapB, .msrBitmap, .exitMSRStoreAddress, .exitMSRLoadAddress, .entryMSRLoadAddress,
            .tscOffset, .eptPointer, .guestPhysicalAddress, .vmcsLinkPointer, .guestDebugControl, .guestPAT,
            .guestEFER, .hostPAT, .hostEFER,
        ]
        let width: Width = field == .cr3TargetCount ? .bits32
            : sixteen.contains(field) || name.hasSuffix("Selector") ? .bits16
            : sixtyFour.contains(field) ? .bits64
            : name.hasPrefix("cr") || name.contains("CR0") || name.contains("CR3") || name.contains("CR4")
                || name.hasSuffix("Base") || name.hasSuffix("RSP") || name.hasSuffix("RIP")
                || name.hasSuffix("ESP") || name.hasSuffix("EIP") || name.hasSuffix("RFLAGS")
                || name.hasSuffix("DR7") || field == .exitQualification || field == .guestLinearAddress
                || field == .guestPendingDebugExceptions ? .natural
            : .bits32
        return (width, kind)
    }

    func testEveryFieldIsFound() {
        // As many as VMCSField.swift declares: a test can only miss a field
        // whose encoding does not fit in 15 bits.
        XCTAssertEqual(allFields.count, 115)
    }

    func testEveryEncodingHasItsDeclaredWidthAndType() {
        for field in allFields {
            let encoding = field.rawValue
            let (width, kind) = declared(field)
            XCTAssertEqual(encoding >> 13 & 3, width.rawValue, "width of \(field)")
            XCTAssertEqual(encoding >> 10 & 3, kind.rawValue, "type of \(field)")
            XCTAssertEqual(encoding & 1, 0, "\(field) uses the full access type")
            XCTAssertEqual(encoding & (1 << 12), 0, "bit 12 of \(field) is reserved")
        }
    }

    func testIndexesFollowTheSDMOrder() {
        func index(_ field: VMCSField) -> UInt32 { field.rawValue >> 1 & 0x1FF }
        // Guest segment selectors ES, CS, SS, DS, FS, GS, LDTR, TR: 0 to 7.
        XCTAssertEqual([VMCSField.guestESSelector, .guestCSSelector, .guestSSSelector, .guestDSSelector,
                        .guestFSSelector, .guestGSSelector, .guestLDTRSelector, .guestTRSelector].map(index),
                       Array(0...7))
        XCTAssertEqual(index(.hostRSP), 10)
        XCTAssertEqual(index(.hostRIP), 11)
        XCTAssertEqual(index(.eptPointer), 13)
        XCTAssertEqual(index(.secondaryProcessorControls), 15)
        XCTAssertEqual(index(.guestInterruptibility), 18)
    }

    // MARK: control settling

    func testCapabilityValueIsAllowedZeroLowAndAllowedOneHigh() {
        let capability = VMXControlCapability(msrValue: 0x0000_007F_0000_0016)
        XCTAssertEqual(capability.mustBeOne, 0x16)
        XCTAssertEqual(capability.mayBeOne, 0x7F)
    }

    func testSettleAddsDefaultOnesAndAllowedOptionals() {
        let capability = VMXControlCapability(mustBeOne: 0x16, mayBeOne: 0x7F)
        XCTAssertEqual(capability.settle(required: 0x09, optional: 0x40), 0x5F)
        XCTAssertEqual(capability.settle(required: 0x09, optional: 0x80), 0x1F, "an optional bit not allowed is dropped")
        XCTAssertNil(capability.settle(required: 0x89), "a required bit not allowed fails")
        XCTAssertTrue(capability.allows(0x41))
        XCTAssertFalse(capability.allows(0x100))
    }

    /// A CPU that allows every control, with the SDM's default-1 bits
    /// (A.3.1, A.3.2, A.4, A.5) as the ones it insists on.
    private func capabilities(pinBased: VMXControlCapability = .init(mustBeOne: 0x16, mayBeOne: 0xFFFF_FFFF),
                              secondary: VMXControlCapability = .init(mustBeOne: 0, mayBeOne: 0xFFFF_FFFF),
                              entry: VMXControlCapability = .init(mustBeOne: 0x11FF, mayBeOne: 0xFFFF_FFFF),
                              ept: UInt64 = 0,
                              cr0Fixed0: UInt64 = 0x8000_0021, cr4Fixed0: UInt64 = 0x2000) -> VMXCapabilities {
        VMXCapabilities(
            basic: 0, pinBased: pinBased,
            primary: .init(mustBeOne: 0x0401_E172, mayBeOne: 0xFFFF_FFFF),
            secondary: secondary,
            exit: .init(mustBeOne: 0x0003_6DFF, mayBeOne: 0xFFFF_FFFF),
            entry: entry, miscellaneous: 0, ept: ept,
            cr0Fixed0: cr0Fixed0, cr0Fixed1: 0xFFFF_FFFF, cr4Fixed0: cr4Fixed0, cr4Fixed1: 0x3F_FFFF)
    }

    func testPVHControlsOnACPUThatAllowsEverything() throws {
        let controls = try VMXControls.forPVHGuest(capabilities())
        XCTAssertEqual(controls.pinBased, 0x5F)          // default 1s, external interrupts, NMIs, preemption timer
        XCTAssertEqual(controls.primary, 0x9601_E1F2)    // + HLT, I/O bitmaps, MSR bitmaps, secondary
        XCTAssertEqual(controls.secondary, 0x108A)       // EPT, RDTSCP, unrestricted guest, INVPCID; no VPID
        XCTAssertEqual(controls.exit, 0x0033_EFFF)       // + host address size, ack interrupt, save/load EFER
        XCTAssertEqual(controls.entry, 0x91FF)           // + load EFER, not IA-32e mode guest
        XCTAssertTrue(controls.usesPreemptionTimer)
        XCTAssertFalse(controls.usesVPID)
    }

    func testVPIDNeedsINVVPIDOfOneContext() throws {
        // EPT/VPID capability bit 32 (INVVPID) and 41 (single-context INVVPID).
        let controls = try VMXControls.forPVHGuest(capabilities(ept: (1 << 32) | (1 << 41)))
        XCTAssertEqual(controls.secondary, 0x10AA)
        XCTAssertTrue(controls.usesVPID)
        XCTAssertEqual(try VMXControls.forPVHGuest(capabilities(ept: 1 << 32)).secondary, 0x108A)
    }

    func testNoPreemptionTimerIsFine() throws {
        let controls = try VMXControls.forPVHGuest(capabilities(pinBased: .init(mustBeOne: 0x16, mayBeOne: 0x3F)))
        XCTAssertEqual(controls.pinBased, 0x1F)
        XCTAssertFalse(controls.usesPreemptionTimer)
    }

    func testMissingRequiredControlsAreUnsupported() {
        func failure(_ capabilities: VMXCapabilities) -> String? {
            do { _ = try VMXControls.forPVHGuest(capabilities); return nil } catch { return error.message }
        }
        XCTAssertEqual(failure(capabilities(pinBased: .init(mustBeOne: 0x16, mayBeOne: 0x77))),
                       "not supported: pin-based controls (external-interrupt and NMI exiting)")
        XCTAssertEqual(failure(capabilities(secondary: .init(mustBeOne: 0, mayBeOne: 0xFF7F))),
                       "not supported: secondary controls (EPT and unrestricted guest)")
        XCTAssertEqual(failure(capabilities(entry: .init(mustBeOne: 0x13FF, mayBeOne: 0xFFFF_FFFF))),
                       "not supported: VM-entry controls (load EFER)")
    }

    // MARK: CR0/CR4 masks

    func testControlRegisterMasks() {
        var registers = VMXControlRegisters(capabilities())
        XCTAssertEqual(registers.cr0Mask, 0x20, "FIXED0 without PE and PG: NE")
        XCTAssertEqual(registers.cr4Mask, 0x2000, "VMXE")
        XCTAssertEqual(registers.realCR0(guestView: 0x11), 0x31)
        XCTAssertEqual(registers.realCR4(guestView: 0x20), 0x2020)
        registers.permitControlRegister4(0x06F0)
        XCTAssertEqual(registers.cr4Mask, 0xFFFF_FFFF_FFFF_F90F | 0x2000)
        XCTAssertEqual(registers.realCR4(guestView: 0x20), 0x2020, "the real CR4 only adds the fixed bits")
        XCTAssertEqual(VMXControlRegisters.guestView(real: 0x8000_0031, shadow: 0x11, mask: 0x20), 0x8000_0011)
    }

    // MARK: MSR bitmap and EPT pointer

    func testMSRBitmapPassesThroughExactlyTheGuestOwnedMSRs() {
        let page = VMXMSRBitmap.make()
        defer { page.deallocate() }
        let bytes = UnsafeRawBufferPointer(start: page, count: 4096)
        func exits(_ msr: UInt32, write: Bool) -> Bool {
            let base = (msr >= 0xC000_0000 ? 0x400 : 0) + (write ? 0x800 : 0)
            let index = Int(msr & 0x1FFF)
            return bytes[base + index / 8] & (1 << (index % 8)) != 0
        }
        XCTAssertFalse(exits(0xC000_0080, write: false))   // EFER: byte 410h bit 0
        XCTAssertEqual(bytes[0x410] & 1, 0)
        XCTAssertEqual(bytes[0xC10] & 1, 0)
        XCTAssertEqual(bytes[0x2E] & (1 << 4), 0)          // SYSENTER_CS 174h: byte 2Eh bit 4
        XCTAssertEqual(bytes[0x82E] & (1 << 4), 0)
        for msr in VMXMSRBitmap.passThrough {
            XCTAssertFalse(exits(msr, write: false))
            XCTAssertFalse(exits(msr, write: true))
        }
        // APIC base, PAT, every x2APIC register (Core's VirtualAPIC), ...
        for msr: UInt32 in [0x1B, 0x277, 0x1FFF, 0xC000_0000, 0xC000_0104, 0xC000_1FFF] + Array(0x800...0x8FF) {
            XCTAssertTrue(exits(msr, write: false), "read of \(String(msr, radix: 16))")
            XCTAssertTrue(exits(msr, write: true), "write of \(String(msr, radix: 16))")
        }
        XCTAssertEqual(bytes.reduce(0) { $0 + (8 - $1.nonzeroBitCount) }, 2 * 12, "one read and one write bit each")
    }

    func testEPTPointerIsWriteBackWithFourLevels() {
        XCTAssertEqual(VMXEPTPointer.make(root: 0x12_3456_7000), 0x12_3456_701E)
        XCTAssertEqual(VMXEPTPointer.make(root: 0xFFFF_FFFF_FFFF_FFFF), 0x000F_FFFF_FFFF_F01E)
    }
}
