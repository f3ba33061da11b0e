import XCTest
@testable import KernelCore

/// VMCB offsets (AMD APM Vol. 2, tables B-1 and B-2), EVENTINJ (15.20) and
/// the MSR permission map (15.11).
final class SVMEncodingTests: XCTestCase {
    func testControlAreaOffsetsAreTableB1() {
        XCTAssertEqual(VMCB.interceptCRReads, 0x000)
        XCTAssertEqual(VMCB.interceptCRWrites, 0x002)
        XCTAssertEqual(VMCB.interceptExceptions, 0x008)
        XCTAssertEqual(VMCB.interceptMisc1, 0x00C)
        XCTAssertEqual(VMCB.interceptMisc2, 0x010)
        XCTAssertEqual(VMCB.ioPermissionMap, 0x040)
        XCTAssertEqual(VMCB.msrPermissionMap, 0x048)
        XCTAssertEqual(VMCB.guestASID, 0x058)
        XCTAssertEqual(VMCB.tlbControl, 0x05C)
        XCTAssertEqual(VMCB.interruptControl, 0x060)
        XCTAssertEqual(VMCB.exitCode, 0x070)
        XCTAssertEqual(VMCB.exitInfo1, 0x078)
        XCTAssertEqual(VMCB.exitInfo2, 0x080)
        XCTAssertEqual(VMCB.exitInterruptInfo, 0x088)
        XCTAssertEqual(VMCB.nestedPagingEnable, 0x090)
        XCTAssertEqual(VMCB.eventInjection, 0x0A8)
        XCTAssertEqual(VMCB.nestedCR3, 0x0B0)
        XCTAssertEqual(VMCB.cleanBits, 0x0C0)
    }

    func testStateSaveAreaOffsetsAreTableB2() {
        // Segments are 16 bytes each, ES first, at 400h.
        XCTAssertEqual([VMCB.es, VMCB.cs, VMCB.ss, VMCB.ds, VMCB.fs, VMCB.gs,
                        VMCB.gdtr, VMCB.ldtr, VMCB.idtr, VMCB.tr],
                       Array(stride(from: 0x400, through: 0x490, by: 0x10)))
        XCTAssertEqual(VMCB.cpl, 0x4CB)
        XCTAssertEqual(VMCB.efer, 0x4D0)
        XCTAssertEqual(VMCB.cr4, 0x548)
        XCTAssertEqual(VMCB.cr3, 0x550)
        XCTAssertEqual(VMCB.cr0, 0x558)
        XCTAssertEqual(VMCB.dr7, 0x560)
        XCTAssertEqual(VMCB.dr6, 0x568)
        XCTAssertEqual(VMCB.rflags, 0x570)
        XCTAssertEqual(VMCB.rip, 0x578)
        XCTAssertEqual(VMCB.rsp, 0x5D8)
        XCTAssertEqual(VMCB.rax, 0x5F8)
        XCTAssertEqual(VMCB.cr2, 0x640)
        XCTAssertEqual(VMCB.guestPAT, 0x668)
    }

    func testSegmentIsSelectorAttributesLimitBase() {
        let fake = FakeVMCB()
        fake.vmcb.writeSegment(VMCB.cs, selector: 0x10, attributes: 0xA9B, limit: 0xFFFF_FFFF, base: 0x1234_5678_9ABC)
        let bytes = UnsafeRawBufferPointer(start: fake.page + VMCB.cs, count: 16)
        XCTAssertEqual(Array(bytes), [0x10, 0x00, 0x9B, 0x0A, 0xFF, 0xFF, 0xFF, 0xFF,
                                      0xBC, 0x9A, 0x78, 0x56, 0x34, 0x12, 0x00, 0x00])
    }

    func testEventInjectionOfAnException() {
        // #PF with error code 2: vector 0Eh, TYPE 3, EV, V, error code in 63:32.
        XCTAssertEqual(SVMEventInjection.exception(vector: 14, errorCode: 2), 0x0000_0002_8000_0B0E)
        // #UD: no error code, EV clear.
        XCTAssertEqual(SVMEventInjection.exception(vector: 6, errorCode: nil), 0x8000_0306)
        XCTAssertEqual(SVMEventInjection.exception(vector: 13, errorCode: 0xFFFF_FFFF), 0xFFFF_FFFF_8000_0B0D)
    }

    func testMSRPermissionBitOffsetsInTheThreeRanges() {
        XCTAssertEqual(SVMPermissionMaps.bitOffset(of: 0), 0)
        XCTAssertEqual(SVMPermissionMaps.bitOffset(of: 0x174), 0x2E8)
        XCTAssertEqual(SVMPermissionMaps.bitOffset(of: 0x1FFF), 0x3FFE)
        XCTAssertEqual(SVMPermissionMaps.bitOffset(of: 0xC000_0000), 0x4000)      // byte 800h
        XCTAssertEqual(SVMPermissionMaps.bitOffset(of: 0xC000_0080), 0x4100)      // EFER
        XCTAssertEqual(SVMPermissionMaps.bitOffset(of: 0xC000_1FFF), 0x7FFE)
        XCTAssertEqual(SVMPermissionMaps.bitOffset(of: 0xC001_0000), 0x8000)      // byte 1000h
        XCTAssertEqual(SVMPermissionMaps.bitOffset(of: 0xC001_1FFF), 0xBFFE)
    }

    func testMSRPermissionBitOffsetOutsideTheRanges() {
        for msr: UInt32 in [0x2000, 0x4000_0000, 0xBFFF_FFFF, 0xC000_2000, 0xC000_FFFF, 0xC001_2000, 0xFFFF_FFFF] {
            XCTAssertNil(SVMPermissionMaps.bitOffset(of: msr), "MSR \(String(msr, radix: 16))")
        }
    }

    func testPermissionMapsInterceptAllButTheGuestOwnedMSRs() {
        let maps = SVMPermissionMaps()
        let io = UnsafeRawBufferPointer(start: UnsafeRawPointer(bitPattern: UInt(maps.ioMap)), count: 3 * 4096)
        XCTAssertTrue(io.allSatisfy { $0 == 0xFF }, "every port intercepted")

        let msr = UnsafeRawBufferPointer(start: UnsafeRawPointer(bitPattern: UInt(maps.msrMap)), count: 2 * 4096)
        func intercepted(_ number: UInt32, write: Bool) -> Bool {
            let bit = SVMPermissionMaps.bitOffset(of: number)! + (write ? 1 : 0)
            return msr[bit / 8] & (1 << (bit % 8)) != 0
        }
        let guestOwned: [UInt32] = [0xC000_0100, 0xC000_0101, 0xC000_0102, 0xC000_0081, 0xC000_0082,
                                    0xC000_0083, 0xC000_0084, 0x174, 0x175, 0x176, 0xC000_0103]
        for number in guestOwned {
            XCTAssertFalse(intercepted(number, write: false), "read of \(String(number, radix: 16))")
            XCTAssertFalse(intercepted(number, write: true), "write of \(String(number, radix: 16))")
        }
        // EFER, APIC base, PAT and the x2APIC registers (Core's VirtualAPIC)
        // stay intercepted; and nothing else was cleared.
        for number: UInt32 in [0xC000_0080, 0x1B, 0x277] + Array(0x800...0x8FF) {
            XCTAssertTrue(intercepted(number, write: false))
            XCTAssertTrue(intercepted(number, write: true))
        }
        let clearBits = msr.reduce(0) { $0 + (8 - $1.nonzeroBitCount) }
        XCTAssertEqual(clearBits, 2 * guestOwned.count)
        UnsafeMutableRawPointer(bitPattern: UInt(maps.ioMap))!.deallocate()
        UnsafeMutableRawPointer(bitPattern: UInt(maps.msrMap))!.deallocate()
    }
}
