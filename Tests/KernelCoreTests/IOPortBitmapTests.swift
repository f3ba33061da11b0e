import XCTest
@testable import KernelCore

/// The I/O permission bitmap both vendors read: bit n is port n, set means
/// the access exits; an access exits if any of its bytes' bits is set.
final class IOPortBitmapTests: XCTestCase {
    func testWithoutRangesEveryPortExits() {
        let bitmap = IOPortBitmap(allowing: [])
        for port: UInt16 in [0, 0x1F0, 0x3F8, 0x8000, 0xFFFF] {
            XCTAssertTrue(bitmap.intercepts(port), "port \(port)")
        }
        // The third page (accesses past FFFFh, SVM) is all ones too.
        XCTAssertEqual(bitmap.bits.load(fromByteOffset: IOPortBitmap.byteCount - 1, as: UInt8.self), 0xFF)
        XCTAssertEqual(bitmap.machineAddress % 4096, 0, "VMX and SVM need a page-aligned map")
    }

    func testTheATAPortsAndOnlyThoseAreDirect() {
        let bitmap = IOPortBitmap(allowing: IOPortBitmap.legacyATAPorts)
        for port in [0x1F0...0x1F7, 0x170...0x177].joined() {
            XCTAssertFalse(bitmap.intercepts(UInt16(port)), "port \(port)")
        }
        XCTAssertFalse(bitmap.intercepts(0x3F6))
        XCTAssertFalse(bitmap.intercepts(0x376))
        // Neighbours: the floppy's 3F7h, the serial port, the PIT, PCI config.
        for port: UInt16 in [0x1EF, 0x1F8, 0x16F, 0x178, 0x3F5, 0x3F7, 0x375, 0x377, 0x3F8, 0x40, 0xCF8, 0xCFC] {
            XCTAssertTrue(bitmap.intercepts(port), "port \(port)")
        }
        XCTAssertEqual(bitmap.bits.load(fromByteOffset: 0x1F0 / 8, as: UInt8.self), 0x00, "1F0h-1F7h: one clear byte")
        XCTAssertEqual(bitmap.bits.load(fromByteOffset: 0x3F6 / 8, as: UInt8.self), 0xBF, "3F6h: bit 6 of byte 7Eh")
    }

    func testAWideAccessExitsIfAnyOfItsPortsIsIntercepted() {
        let bitmap = IOPortBitmap(allowing: IOPortBitmap.legacyATAPorts)
        XCTAssertFalse(bitmap.intercepts(0x1F0, size: 4))
        XCTAssertTrue(bitmap.intercepts(0x1F6, size: 4), "1F8h and 1F9h are not dom0's")
        XCTAssertTrue(bitmap.intercepts(0x3F6, size: 2))
    }
}
