/// A vCPU's virtual local APIC, in x2APIC mode: its registers are MSRs
/// 0x800-0x8FF (VirtualAPIC+MSR.swift), its timer counts in system time
/// (VirtualAPIC+Timer.swift), and its ICR sends IPIs
/// (VirtualAPIC+InterprocessorInterrupt.swift). Section numbers are those
/// of the Intel SDM Vol. 3A, chapter 10 ("Advanced Programmable Interrupt
/// Controller"; chapter 11 in editions since 2023).
///
/// Why x2APIC mode from the start. Xen resets a PVH vCPU's APIC enabled in
/// xAPIC mode (IA32_APIC_BASE = 0xFEE00000 | EN, BSP on vCPU 0) and lets
/// the guest switch to x2APIC, which its CPUID offers; it emulates the xAPIC
/// page for the time in between. Here there is no xAPIC page (the guest
/// would find nothing at 0xFEE00000: UnbackedAccess), so the APIC comes out
/// of reset the way firmware hands over an APIC it has already put in
/// x2APIC mode: EN and EXTD set. Linux then says "x2apic: enabled by BIOS,
/// switching to x2apic ops" and never touches the page. Leaving x2APIC mode
/// or turning the APIC off is refused (LocalAPICBase).
///
/// What it has (the values at reset, 10.4.7.1, and Xen's choices):
/// - ID: the vCPU's index (Xen uses index × 2); LDR derived from it and
///   read-only (10.12.10.2);
/// - version 0x0005_0014: a local APIC (0x14) with six LVT entries
///   (highest index 5), as Xen's vlapic; no EOI-broadcast suppression;
/// - TPR and PPR (10.8.3.1), SVR reset to 0xFF (software-disabled);
/// - IRR, ISR and TMR, 256 bits each; ESR, latched by writing it (10.5.3);
/// - six LVT entries, masked at reset; no CMCI;
/// - the ICR (64 bits) and the SELF IPI register: only IPIs to this vCPU
///   are delivered (there is one vCPU per domain);
/// - the timer: one-shot and periodic, on a 100 MHz bus like Xen's vlapic;
///   not TSC-deadline (CPUID does not offer it).
///
/// For the code that injects interrupts into the guest (the backends'
/// event injection, which is not here yet), the whole interface is:
/// - `requestInterrupt(vector:)`: an interrupt arrives for this vCPU (an
///   event channel upcall on the vector the guest chose): it is pending in
///   the IRR;
/// - `highestDeliverableVector()`: before entering the guest, the vector
///   to inject, if any: the highest pending one whose priority class is
///   above the PPR, and only while the APIC is software-enabled. Inject it
///   only when the guest can take it (RFLAGS.IF set, no interrupt shadow);
///   otherwise ask for an interrupt-window exit and look again then;
/// - `acknowledge(vector:)`: call it when the vector is injected: it moves
///   from the IRR to the ISR, as the CPU's interrupt acknowledge does
///   (10.8.4). The guest's EOI (a WRMSR of 0 to 0x80B) ends it;
/// - `nextTimerDeadline` and `fireTimer(now:)`: the APIC timer, for the
///   scheduler: when system time reaches the deadline, `fireTimer` puts the
///   LVT timer's vector in the IRR (unless the entry is masked) and sets
///   the next deadline of a periodic timer. A HLT-blocked vCPU should wake
///   when `highestDeliverableVector()` has something for it.
///
/// A class, one per vCPU (VCPU.localAPIC): the scheduler asks it for a
/// deliverable vector before every entry, and a class is read in place,
/// where a struct this size would be copied each time.
final class VirtualAPIC {
    /// The x2APIC ID (CPUID 1 EBX[31:24] and leaf 0xB EDX, and the MADT,
    /// say the same).
    let id: UInt32
    /// Only vCPU 0 is the bootstrap processor (IA32_APIC_BASE.BSP).
    let isBootstrapProcessor: Bool

    /// The version register: version 0x14 (an integrated APIC) in bits 7:0,
    /// the highest LVT entry's index (5: timer, thermal, performance,
    /// LINT0, LINT1, error) in bits 23:16 (10.4.8).
    static let version: UInt32 = 0x0005_0014

    /// Bits 7:4 are the task-priority class, 3:0 the subclass (10.8.3.1).
    var taskPriority: UInt32 = 0
    /// The spurious-interrupt vector register (10.9): the spurious vector
    /// in bits 7:0, APIC software enable in bit 8, focus processor checking
    /// in bit 9 (kept, no effect with one vCPU).
    var spuriousInterruptVector: UInt32 = 0xFF
    static let softwareEnable: UInt32 = 1 << 8
    static let focusProcessorCheckingDisabled: UInt32 = 1 << 9

    /// Interrupts accepted and not yet delivered.
    var interruptRequests = InterruptVectorSet()
    /// Interrupts delivered to the guest and not yet ended with an EOI.
    var inService = InterruptVectorSet()
    /// Which pending or in-service interrupts are level-triggered.
    var triggerMode = InterruptVectorSet()

    /// What the guest reads from the ESR: the errors latched by its last
    /// write to it. `errorsSinceLatch` collects the ones found since.
    var errorStatus: UInt32 = 0
    var errorsSinceLatch: UInt32 = 0

    // The local vector table (LocalVectorTableEntry).
    var timerEntry = LocalVectorTableEntry.resetValue
    var thermalSensorEntry = LocalVectorTableEntry.resetValue
    var performanceCounterEntry = LocalVectorTableEntry.resetValue
    var lint0Entry = LocalVectorTableEntry.resetValue
    var lint1Entry = LocalVectorTableEntry.resetValue
    var errorEntry = LocalVectorTableEntry.resetValue

    /// The last value written to the ICR (its delivery status always reads
    /// idle: IPIs are delivered at once).
    var interruptCommand: UInt64 = 0
    /// IPIs that named a vCPU other than this one, or a delivery mode other
    /// than fixed and lowest-priority: not delivered, counted (and logged
    /// at loglvl=debug).
    var ignoredInterprocessorInterrupts: UInt64 = 0

    // The timer (VirtualAPIC+Timer.swift).
    var timerInitialCount: UInt32 = 0
    var timerDivideConfiguration: UInt32 = 0
    /// When the running timer next reaches 0, in system time (ns); nil when
    /// it is stopped or a one-shot count has run out.
    var timerDeadline: UInt64? = nil

    init(vcpuIndex: Int) {
        id = LocalAPICID.ofVCPU(vcpuIndex)
        isBootstrapProcessor = vcpuIndex == 0
    }

    // MARK: - Derived registers

    /// The logical x2APIC ID (10.12.10.2): the cluster, ID[19:4], in bits
    /// 31:16; one bit for the ID's position in its cluster, ID[3:0], in
    /// bits 15:0.
    var logicalDestination: UInt32 { ((id >> 4) << 16) | (1 << (id & 0xF)) }

    /// The processor-priority register (10.8.3.1): the TPR if its class is
    /// at least that of the highest in-service vector, otherwise that
    /// vector's class.
    var processorPriority: UInt32 {
        let serviced = UInt32(inService.highest ?? 0)
        return taskPriority & 0xF0 >= serviced & 0xF0 ? taskPriority & 0xFF : serviced & 0xF0
    }

    /// SVR bit 8 (10.4.7.2). While clear, nothing is delivered and every
    /// LVT entry stays masked.
    var isSoftwareEnabled: Bool { spuriousInterruptVector & Self.softwareEnable != 0 }

    // MARK: - Interrupts in and out

    /// An interrupt for this vCPU: `vector` becomes pending in the IRR,
    /// edge-triggered unless `levelTriggered`. Vectors 0-15 are reserved
    /// for exceptions: an APIC does not accept them, and records "received
    /// illegal vector" in the ESR instead (10.5.3).
    func requestInterrupt(vector: UInt8, levelTriggered: Bool = false) {
        guard vector >= 16 else { return recordError(ErrorStatus.receivedIllegalVector) }
        interruptRequests.insert(vector)
        if levelTriggered { triggerMode.insert(vector) } else { triggerMode.remove(vector) }
    }

    /// The vector to inject now, if any (10.8.3.1, 10.8.4): the highest in
    /// the IRR, if its priority class is above the PPR's and the APIC is
    /// software-enabled. A pending vector of the class in service waits for
    /// its EOI.
    func highestDeliverableVector() -> UInt8? {
        guard isSoftwareEnabled, let vector = interruptRequests.highest else { return nil }
        return UInt32(vector) & 0xF0 > processorPriority & 0xF0 ? vector : nil
    }

    /// `vector` was injected: it moves from the IRR to the ISR, as the
    /// CPU's interrupt acknowledge cycle does. A vector that is not pending
    /// is left alone.
    func acknowledge(vector: UInt8) {
        guard interruptRequests.contains(vector) else { return }
        interruptRequests.remove(vector)
        inService.insert(vector)
    }

    /// A write to the EOI register (10.8.5): the highest in-service vector
    /// is done. (A level-triggered one would also be signalled to the
    /// IO-APIC; there is none.)
    func endOfInterrupt() {
        guard let vector = inService.highest else { return }
        inService.remove(vector)
        triggerMode.remove(vector)
    }

    // MARK: - Errors

    /// The ESR's bits (10.5.3, figure 10-9) this APIC can set.
    enum ErrorStatus {
        static let sendIllegalVector: UInt32 = 1 << 5
        static let receivedIllegalVector: UInt32 = 1 << 6
    }

    /// Records an error; the first time each is seen since the last latch,
    /// the LVT error entry's interrupt is raised, unless it is masked.
    /// (An error vector below 16 records one more error and stops there.)
    func recordError(_ bits: UInt32) {
        guard errorsSinceLatch & bits != bits else { return }
        errorsSinceLatch |= bits
        if errorEntry & LocalVectorTableEntry.masked == 0 {
            requestInterrupt(vector: UInt8(errorEntry & LocalVectorTableEntry.vectorBits))
        }
    }

    /// A write to the ESR: the errors found since the previous write become
    /// what it reads, and collecting starts again (10.5.3).
    func latchErrors() {
        errorStatus = errorsSinceLatch
        errorsSinceLatch = 0
    }

    // MARK: - The local vector table

    func localVector(_ entry: LocalVectorTableEntry) -> UInt32 {
        switch entry {
        case .timer: timerEntry
        case .thermalSensor: thermalSensorEntry
        case .performanceCounter: performanceCounterEntry
        case .lint0: lint0Entry
        case .lint1: lint1Entry
        case .error: errorEntry
        }
    }

    /// Stores an entry's new value (already checked against its writable
    /// bits). While the APIC is software-disabled the mask bit stays set
    /// (10.4.7.2).
    func setLocalVector(_ entry: LocalVectorTableEntry, _ value: UInt32) {
        var stored = value & entry.storedBits
        if !isSoftwareEnabled { stored |= LocalVectorTableEntry.masked }
        switch entry {
        case .timer: timerEntry = stored
        case .thermalSensor: thermalSensorEntry = stored
        case .performanceCounter: performanceCounterEntry = stored
        case .lint0: lint0Entry = stored
        case .lint1: lint1Entry = stored
        case .error: errorEntry = stored
        }
    }

    /// A write to the SVR. Clearing the software-enable bit masks every LVT
    /// entry (10.4.7.2); setting it again leaves them masked until the
    /// guest unmasks them. Pending and in-service interrupts are kept.
    func setSpuriousInterruptVector(_ value: UInt32) {
        spuriousInterruptVector = value
        guard !isSoftwareEnabled else { return }
        for entry in LocalVectorTableEntry.allCases {
            setLocalVector(entry, localVector(entry))
        }
    }
}
