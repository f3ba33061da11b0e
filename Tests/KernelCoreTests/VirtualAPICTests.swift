import XCTest
@testable import KernelCore

/// The virtual local APIC's registers, read and written as x2APIC MSRs, and
/// its interrupt interface (IRR, ISR, PPR, EOI), without a guest.
final class VirtualAPICTests: XCTestCase {
    private var apic = VirtualAPIC(vcpuIndex: 0)

    private func read(_ msr: UInt32, now: UInt64 = 0) -> UInt64? { apic.readMSR(msr, now: now) }

    @discardableResult
    private func write(_ msr: UInt32, _ value: UInt64, now: UInt64 = 0) -> Bool {
        apic.writeMSR(msr, value, now: now)
    }

    /// Software-enabled, spurious vector 0xFF, as Linux sets it up.
    private func enable() { XCTAssertTrue(write(0x80F, 0x1FF)) }

    // MARK: - Reset

    func testResetValues() {
        XCTAssertEqual(read(0x802), 0, "x2APIC ID: the vCPU's index")
        XCTAssertEqual(read(0x803), 0x0005_0014, "version 0x14, highest LVT entry 5")
        XCTAssertEqual(read(0x808), 0, "TPR")
        XCTAssertEqual(read(0x80A), 0, "PPR")
        XCTAssertEqual(read(0x80D), 0x0000_0001, "LDR: cluster 0, bit 0")
        XCTAssertEqual(read(0x80F), 0xFF, "SVR: software-disabled")
        for msr: UInt32 in 0x810...0x827 { XCTAssertEqual(read(msr), 0, "ISR/TMR/IRR \(hex(UInt64(msr), digits: 3))") }
        XCTAssertEqual(read(0x828), 0, "ESR")
        XCTAssertEqual(read(0x830), 0, "ICR")
        for msr: UInt32 in 0x832...0x837 { XCTAssertEqual(read(msr), 0x1_0000, "LVT \(hex(UInt64(msr), digits: 3)) masked") }
        XCTAssertEqual(read(0x838), 0, "initial count")
        XCTAssertEqual(read(0x839), 0, "current count")
        XCTAssertEqual(read(0x83E), 0, "divide by 2")
        XCTAssertFalse(apic.isSoftwareEnabled)
        XCTAssertTrue(apic.isBootstrapProcessor)
        XCTAssertNil(apic.nextTimerDeadline)
    }

    func testIDAndLogicalDestinationFollowTheVCPUIndex() {
        let fifth = VirtualAPIC(vcpuIndex: 5)
        XCTAssertEqual(fifth.readMSR(0x802, now: 0), 5)
        XCTAssertEqual(fifth.readMSR(0x80D, now: 0), 0x0000_0020, "cluster 0, bit 5")
        XCTAssertFalse(fifth.isBootstrapProcessor)
        let seventeenth = VirtualAPIC(vcpuIndex: 17)
        XCTAssertEqual(seventeenth.readMSR(0x80D, now: 0), 0x0001_0002, "cluster 1, bit 1")
    }

    // MARK: - Priorities and delivery

    func testTaskPriorityAndProcessorPriority() {
        enable()
        XCTAssertTrue(write(0x808, 0x45))
        XCTAssertEqual(read(0x808), 0x45)
        XCTAssertEqual(read(0x80A), 0x45, "no vector in service: PPR = TPR")
        apic.requestInterrupt(vector: 0x61)
        apic.acknowledge(vector: 0x61)
        XCTAssertEqual(read(0x80A), 0x60, "in-service class 6 above TPR class 4: PPR = 0x60")
        XCTAssertTrue(write(0x808, 0x7A))
        XCTAssertEqual(read(0x80A), 0x7A, "TPR class 7 at least the in-service class: PPR = TPR")
    }

    func testTaskPriorityBlocksLowerClasses() {
        enable()
        XCTAssertTrue(write(0x808, 0x50))
        apic.requestInterrupt(vector: 0x55)
        XCTAssertNil(apic.highestDeliverableVector(), "class 5 is not above TPR class 5")
        apic.requestInterrupt(vector: 0x60)
        XCTAssertEqual(apic.highestDeliverableVector(), 0x60)
        XCTAssertTrue(write(0x808, 0))
        XCTAssertEqual(apic.highestDeliverableVector(), 0x60, "the highest first")
    }

    /// Three vectors: delivered highest first; a lower one waits while a
    /// higher class is in service; EOI ends the highest in service.
    func testRequestAcknowledgeAndEOIOrdering() {
        enable()
        for vector: UInt8 in [0x31, 0xA0, 0x52] { apic.requestInterrupt(vector: vector) }
        XCTAssertEqual(read(0x821), 0x0002_0000, "IRR1: vector 0x31 is bit 17")
        XCTAssertEqual(read(0x822), 0x0004_0000, "IRR2: vector 0x52 is bit 18")
        XCTAssertEqual(read(0x825), 0x0000_0001, "IRR5: vector 0xA0 is bit 0")

        XCTAssertEqual(apic.highestDeliverableVector(), 0xA0)
        apic.acknowledge(vector: 0xA0)
        XCTAssertEqual(read(0x825), 0, "IRR5 empty")
        XCTAssertEqual(read(0x815), 1, "ISR5: 0xA0 in service")
        XCTAssertNil(apic.highestDeliverableVector(), "0x52 and 0x31 wait below class 0xA")

        apic.requestInterrupt(vector: 0xC3)
        XCTAssertEqual(apic.highestDeliverableVector(), 0xC3, "a higher class nests")
        apic.acknowledge(vector: 0xC3)
        XCTAssertEqual(read(0x80A), 0xC0)

        XCTAssertTrue(write(0x80B, 0))                    // EOI: ends 0xC3, the highest in service
        XCTAssertEqual(read(0x816), 0)
        XCTAssertEqual(read(0x815), 1, "0xA0 still in service")
        XCTAssertNil(apic.highestDeliverableVector())
        XCTAssertTrue(write(0x80B, 0))                    // ends 0xA0
        XCTAssertEqual(read(0x80A), 0)
        XCTAssertEqual(apic.highestDeliverableVector(), 0x52)
        apic.acknowledge(vector: 0x52)
        XCTAssertNil(apic.highestDeliverableVector(), "0x31 waits for 0x52's EOI")
        XCTAssertTrue(write(0x80B, 0))
        XCTAssertEqual(apic.highestDeliverableVector(), 0x31)
        apic.acknowledge(vector: 0x31)
        XCTAssertTrue(write(0x80B, 0))
        XCTAssertTrue(write(0x80B, 0), "an EOI with nothing in service is harmless")
        XCTAssertNil(apic.highestDeliverableVector())
        XCTAssertTrue(apic.inService.isEmpty)
        XCTAssertTrue(apic.interruptRequests.isEmpty)
    }

    func testSameClassWaitsForTheEOI() {
        enable()
        apic.requestInterrupt(vector: 0x40)
        apic.acknowledge(vector: 0x40)
        apic.requestInterrupt(vector: 0x4F)
        XCTAssertNil(apic.highestDeliverableVector(), "0x4F is in the class in service")
        XCTAssertTrue(write(0x80B, 0))
        XCTAssertEqual(apic.highestDeliverableVector(), 0x4F)
    }

    func testAcknowledgingAVectorThatIsNotPendingChangesNothing() {
        enable()
        apic.acknowledge(vector: 0x80)
        XCTAssertTrue(apic.inService.isEmpty)
    }

    func testLevelTriggeredInterruptsShowInTheTMRUntilTheirEOI() {
        enable()
        apic.requestInterrupt(vector: 0x93, levelTriggered: true)
        XCTAssertEqual(read(0x81C), 0x0008_0000, "TMR4: vector 0x93 is bit 19")
        apic.acknowledge(vector: 0x93)
        XCTAssertTrue(write(0x80B, 0))
        XCTAssertEqual(read(0x81C), 0)
    }

    func testSoftwareDisabledAPICDeliversNothing() {
        apic.requestInterrupt(vector: 0x70)
        XCTAssertNil(apic.highestDeliverableVector(), "SVR bit 8 clear at reset")
        XCTAssertEqual(read(0x823), 0x0001_0000, "but the vector is pending")
        enable()
        XCTAssertEqual(apic.highestDeliverableVector(), 0x70)
        XCTAssertTrue(write(0x80F, 0xFF))
        XCTAssertNil(apic.highestDeliverableVector())
    }

    func testSoftwareDisableMasksEveryLocalVectorAndKeepsThemMasked() {
        enable()
        XCTAssertTrue(write(0x832, 0xEC))                 // timer, vector 0xEC, unmasked
        XCTAssertTrue(write(0x835, 0x700))                // LINT0 ExtINT, unmasked
        XCTAssertTrue(write(0x80F, 0xFF))                 // software-disable
        XCTAssertEqual(read(0x832), 0x1_00EC)
        XCTAssertEqual(read(0x835), 0x1_0700)
        XCTAssertTrue(write(0x837, 0xFE), "accepted...")
        XCTAssertEqual(read(0x837), 0x1_00FE, "...but stays masked")
        enable()
        XCTAssertEqual(read(0x832), 0x1_00EC, "enabling again unmasks nothing")
        XCTAssertTrue(write(0x832, 0xEC))
        XCTAssertEqual(read(0x832), 0xEC)
    }

    func testLocalVectorTableFieldsAndReadOnlyStatusBits() {
        enable()
        XCTAssertTrue(write(0x835, 0x1_F700))             // LINT0: all its fields and both status bits
        XCTAssertEqual(read(0x835), 0x1_A700, "delivery status and remote IRR read 0")
        XCTAssertTrue(write(0x836, 0x400))                // LINT1: NMI
        XCTAssertEqual(read(0x836), 0x400)
        XCTAssertTrue(write(0x834, 0x4_00))               // performance counter: NMI
        XCTAssertEqual(read(0x834), 0x400)
        XCTAssertTrue(write(0x832, 0x2_00EF))             // timer: periodic
        XCTAssertEqual(read(0x832), 0x2_00EF)
    }

    // MARK: - Errors

    func testVectorsBelowSixteenAreIllegalAndLatchInTheESR() {
        enable()
        apic.requestInterrupt(vector: 15)
        XCTAssertTrue(apic.interruptRequests.isEmpty)
        XCTAssertEqual(read(0x828), 0, "not visible before the latching write")
        XCTAssertTrue(write(0x828, 0))
        XCTAssertEqual(read(0x828), 0x40, "received illegal vector")
        XCTAssertTrue(write(0x828, 0))
        XCTAssertEqual(read(0x828), 0, "the next write starts afresh")
    }

    func testAnErrorRaisesTheUnmaskedErrorVector() {
        enable()
        XCTAssertTrue(write(0x837, 0xFE))
        XCTAssertTrue(write(0x83F, 3))                    // a self IPI with an illegal vector
        XCTAssertEqual(apic.highestDeliverableVector(), 0xFE)
        XCTAssertTrue(write(0x828, 0))
        XCTAssertEqual(read(0x828), 0x20, "send illegal vector")
    }

    // MARK: - IPIs

    func testSelfIPIThroughTheSelfIPIRegister() {
        enable()
        XCTAssertTrue(write(0x83F, 0xFD))
        XCTAssertEqual(apic.highestDeliverableVector(), 0xFD)
        XCTAssertEqual(read(0x827), 0x2000_0000)
    }

    func testSelfIPIThroughTheICR() {
        enable()
        XCTAssertTrue(write(0x830, 0x4_0000 | 0x41))               // shorthand self, fixed
        XCTAssertEqual(apic.highestDeliverableVector(), 0x41)
        XCTAssertEqual(read(0x830), 0x4_0041, "the ICR reads back, delivery status idle")
        XCTAssertTrue(write(0x830, 0x0000_0000_0000_4052))         // physical destination 0: this vCPU
        XCTAssertTrue(write(0x830, 0x0000_0001_0000_0853))         // logical: cluster 0, bit 0
        XCTAssertTrue(write(0x830, 0xFFFF_FFFF_0000_0054))         // broadcast
        XCTAssertTrue(write(0x830, 0x8_0055))                      // all including self
        XCTAssertTrue(write(0x830, 0x0000_0000_0000_0156))         // lowest priority to this vCPU
        XCTAssertEqual(read(0x822), 0x007C_0002, "0x41 and 0x52-0x56")
        XCTAssertEqual(apic.ignoredInterprocessorInterrupts, 0)
    }

    func testIPIsToOthersAndOtherDeliveryModesAreIgnored() {
        enable()
        XCTAssertTrue(write(0x830, 0x0000_0001_0000_0060))         // physical destination 1
        XCTAssertTrue(write(0x830, 0x0000_0002_0000_0861))         // logical: cluster 0, bit 1
        XCTAssertTrue(write(0x830, 0xC_0062))                      // all excluding self
        XCTAssertTrue(write(0x830, 0x4_0400))                      // NMI to self
        XCTAssertTrue(write(0x830, 0x4_0500))                      // INIT
        XCTAssertTrue(write(0x830, 0x0000_0001_0000_0610))         // SIPI
        XCTAssertEqual(apic.ignoredInterprocessorInterrupts, 6)
        XCTAssertTrue(apic.interruptRequests.isEmpty)
    }

    func testASoftwareDisabledAPICTakesNoIPI() {
        XCTAssertTrue(write(0x83F, 0x90))
        XCTAssertTrue(apic.interruptRequests.isEmpty, "dropped, as in Xen's vlapic")
    }

    // MARK: - #GP cases

    func testReservedAndWriteOnlyRegistersCannotBeRead() {
        for msr: UInt32 in [0x800, 0x801, 0x804, 0x809, 0x80B, 0x80C, 0x80E, 0x829, 0x82F, 0x831,
                            0x83A, 0x83D, 0x83F, 0x840, 0x8FF] {
            XCTAssertNil(read(msr), hex(UInt64(msr), digits: 3))
        }
    }

    func testReadOnlyAndReservedRegistersCannotBeWritten() {
        for msr: UInt32 in [0x802, 0x803, 0x80A, 0x80D, 0x810, 0x817, 0x818, 0x820, 0x827, 0x839,
                            0x800, 0x809, 0x80E, 0x82F, 0x831, 0x8FF] {
            XCTAssertFalse(write(msr, 0), hex(UInt64(msr), digits: 3))
        }
        XCTAssertEqual(read(0x802), 0)
    }

    func testReservedBitsAreGP() {
        enable()
        let refused: [(UInt32, UInt64)] = [
            (0x808, 0x100),                 // TPR above bit 7
            (0x808, 1 << 32),               // upper half
            (0x80B, 1),                     // EOI: 0 only
            (0x828, 1),                     // ESR: 0 only
            (0x80F, 0x11FF),                // SVR: EOI-broadcast suppression is not offered
            (0x832, 0x4_0000),              // timer: TSC-deadline mode is not offered
            (0x832, 0x700),                 // timer: no delivery mode field
            (0x837, 0x400),                 // error: no delivery mode field
            (0x833, 0x2000),                // thermal: no polarity field
            (0x83E, 0x4),                   // divide: bits 0, 1 and 3 only
            (0x838, 1 << 32),               // initial count: 32 bits
            (0x830, 0x1000),                // ICR: no delivery status in x2APIC mode
            (0x830, 0x2000),                // ICR bit 13
            (0x830, 0x10_0000),             // ICR bit 20
            (0x83F, 0x100),                 // SELF IPI: the vector only
        ]
        for (msr, value) in refused {
            XCTAssertFalse(write(msr, value), "\(hex(UInt64(msr), digits: 3)) <- \(hex(value, digits: 1))")
        }
        XCTAssertEqual(read(0x808), 0)
        XCTAssertEqual(read(0x80F), 0x1FF)
        XCTAssertEqual(read(0x832), 0x1_0000)
        XCTAssertEqual(read(0x83E), 0)
        XCTAssertEqual(read(0x830), 0, "a refused ICR write sends nothing")
        XCTAssertTrue(apic.interruptRequests.isEmpty)
        XCTAssertEqual(apic.ignoredInterprocessorInterrupts, 0)
    }
}
