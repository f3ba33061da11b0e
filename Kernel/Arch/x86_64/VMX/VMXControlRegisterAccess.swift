/// What a control-register access exit (reason 28) asks for, decoded from
/// its exit qualification (Intel SDM Vol. 3C, 27.2.1, table 27-3): bits 3:0
/// the control register, bits 5:4 the access type (0 MOV to CR, 1 MOV from
/// CR, 2 CLTS, 3 LMSW), bits 11:8 the general register (its number in the
/// instruction encoding: 0 RAX, 1 RCX, ..., 4 RSP, ..., 15 R15).
struct VMXControlRegisterAccess {
    enum Action: Equatable {
        /// MOV to CR0 from `register`: record it in the CR0 read shadow.
        case shadowControlRegister0(register: Int)
        /// MOV to CR4 from `register`: Core decides.
        case writeControlRegister4(register: Int)
        /// MOV to CR3 from `register`.
        case loadControlRegister3(register: Int)
        /// MOV from CR3 to `register`.
        case storeControlRegister3(register: Int)
        /// CLTS and LMSW only exit for bits we do not own; CR8 accesses
        /// only with exiting controls we do not set.
        case unsupported
    }

    let controlRegister: UInt64
    let accessType: UInt64
    let register: Int

    init(qualification: UInt64) {
        controlRegister = qualification & 0xF
        accessType = (qualification >> 4) & 3
        register = Int((qualification >> 8) & 0xF)
    }

    var action: Action {
        switch (accessType, controlRegister) {
        case (0, 0): .shadowControlRegister0(register: register)
        case (0, 4): .writeControlRegister4(register: register)
        case (0, 3): .loadControlRegister3(register: register)
        case (1, 3): .storeControlRegister3(register: register)
        default: .unsupported
        }
    }
}
