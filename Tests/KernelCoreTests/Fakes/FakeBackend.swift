@testable import KernelCore

/// A `VirtualizationBackend` for host tests: the guest's control state is
/// whatever the test sets, exits come from a queue, and injected exceptions
/// and RIP changes are recorded.
final class FakeBackend: VirtualizationBackend {
    struct InjectedException: Equatable {
        var vector: UInt8
        var errorCode: UInt32?
    }

    let name = "FAKE"
    let capabilitySummary = ["fake backend for host tests"]
    let unusableReason: String? = nil
    var nestedPageFormat: PageTableFormat
    /// Not a real instruction: distinctive bytes the tests look for.
    var hypercallInstruction: [UInt8] = [0x0F, 0x01, 0xD9]

    var state = GuestControlState()
    var pendingExits: [VMExit] = []
    private(set) var injectedExceptions: [InjectedException] = []
    private(set) var instructionPointerChanges: [UInt64] = []
    private(set) var createdVCPUs: [(entryPoint: UInt32, nestedPagingRoot: UInt64)] = []
    private(set) var createdVCPUPortBitmaps: [IOPortBitmap?] = []
    private(set) var destroyedVCPUs = 0
    /// When set, createVCPU fails with it (and records nothing).
    var createVCPUError: VirtualizationError? = nil

    init(format: PageTableFormat = .npt) {
        nestedPageFormat = format
    }

    func enable() throws(VirtualizationError) {}
    func disable() {}

    func createVCPU(_ vcpu: VCPU, entryPoint: UInt32, nestedPagingRoot: UInt64,
                    ioPorts: IOPortBitmap?) throws(VirtualizationError) {
        if let error = createVCPUError { throw error }
        createdVCPUs.append((entryPoint, nestedPagingRoot))
        createdVCPUPortBitmaps.append(ioPorts)
    }

    func destroyVCPU(_ vcpu: VCPU) { destroyedVCPUs += 1 }

    func run(_ vcpu: VCPU) -> VMExit {
        precondition(!pendingExits.isEmpty, "the test queued no more exits")
        return pendingExits.removeFirst()
    }

    func controlState(_ vcpu: VCPU) -> GuestControlState { state }

    /// The code segment `codeSegment(_:)` reports.
    var segment = CodeSegment()
    func codeSegment(_ vcpu: VCPU) -> CodeSegment { segment }

    func setInstructionPointer(_ vcpu: VCPU, _ rip: UInt64) {
        instructionPointerChanges.append(rip)
        state.rip = rip
    }

    private(set) var stackPointerChanges: [UInt64] = []
    func setStackPointer(_ vcpu: VCPU, _ rsp: UInt64) {
        stackPointerChanges.append(rsp)
        state.rsp = rsp
    }

    func setExtendedFeatureEnable(_ vcpu: VCPU, _ value: UInt64) { state.efer = value }

    private(set) var permittedControlRegister4Bits: UInt64? = nil
    func setPermittedControlRegister4Bits(_ bits: UInt64) { permittedControlRegister4Bits = bits }

    /// How the fake completes an allowed MOV to a control register (SVM's
    /// way by default).
    var controlRegisterCompletion = ControlRegisterWriteCompletion.written
    /// Every write Core asked for: (register number, value).
    private(set) var controlRegisterWrites: [(number: UInt8, value: UInt64)] = []
    var controlRegister4Writes: [UInt64] { controlRegisterWrites.filter { $0.number == 4 }.map(\.value) }
    func writeControlRegister(_ vcpu: VCPU, _ number: UInt8, _ value: UInt64) -> ControlRegisterWriteCompletion {
        controlRegisterWrites.append((number, value))
        if case .written = controlRegisterCompletion {
            switch number {
            case 0: state.cr0 = value
            case 3: state.cr3 = value
            default: state.cr4 = value
            }
        }
        return controlRegisterCompletion
    }

    /// Whether the fake's guest can take an interrupt (RFLAGS.IF and no
    /// shadow, as a real backend would check).
    var guestTakesInterrupts = true
    private(set) var injectedInterrupts: [UInt8] = []
    private(set) var interruptWindowRequests = 0
    func injectInterrupt(_ vcpu: VCPU, vector: UInt8) -> InterruptInjection {
        guard guestTakesInterrupts else {
            interruptWindowRequests += 1
            return .waitingForWindow
        }
        injectedInterrupts.append(vector)
        return .injected
    }

    func injectException(_ vcpu: VCPU, vector: UInt8, errorCode: UInt32?) {
        injectedExceptions.append(InjectedException(vector: vector, errorCode: errorCode))
    }

    private(set) var translationFlushes = 0
    func flushNestedTranslations(_ vcpu: VCPU) { translationFlushes += 1 }
}
